#!/usr/bin/env bash
# The platform rule (docs/ARCHITECTURE.md, "Platforms"), checked on every Swift file of
# Sources/, Solutions/, Lessons/ and Tests/ (bash and awk only; .ci/run calls it):
#
# - only a module's platform file, Sources/<Module>/Platform.swift, imports Glibc or Darwin
#   (or Musl); every other file imports Foundation, which brings the POSIX calls that read the
#   same on both systems;
# - only a platform file names what exists on one system alone: Linux's /proc and /sys,
#   mallopt and the other glibc extensions, fork (which Swift does not offer on macOS),
#   st_ctim, the RLIMIT enum, and Darwin's sysctlbyname, st_ctimespec, mach_ timers and
#   posix_spawn extensions;
# - a test may use a Linux-only facility (reading /proc to check that no process is left)
#   only inside an `#if os(Linux)` block, so that the test still builds and runs elsewhere;
#   lesson code (Lessons/, Solutions/) never does.
#
# Comments are not checked, nor names inside string literals. Prints one line per offence (file:line: what: the code) and
# exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."

# Names that exist on Linux (glibc) only or on Darwin only.
identifiers='mallopt|malloc_trim|malloc_usable_size|malloc_info|mallinfo|__libc_[a-z_]*|fork|vfork'
identifiers+='|__rlimit_resource|__rlimit_resource_t|__RLIMIT_[A-Z]*|st_ctim|st_mtim|st_atim|prctl'
identifiers+='|sched_getaffinity|sched_setaffinity|epoll_[a-z_]*|inotify_[a-z_]*|eventfd|signalfd|timerfd_[a-z_]*'
identifiers+='|memfd_create|pipe2|dup3|accept4|gettid|get_nprocs|get_nprocs_conf|sysinfo|getauxval|O_PATH|O_TMPFILE'
identifiers+='|CLOCK_BOOTTIME|MAP_POPULATE|unshare|setns|personality'
identifiers+='|sysctlbyname|sysctl|st_ctimespec|st_mtimespec|st_atimespec|mach_absolute_time|mach_timebase_info'
identifiers+='|mach_task_self_|clock_gettime_nsec_np|CLOCK_UPTIME_RAW|os_unfair_lock[a-z_]*|kqueue|kevent'
identifiers+='|posix_spawn_file_actions_addchdir_np|POSIX_SPAWN_SETSID|POSIX_SPAWN_CLOEXEC_DEFAULT'
identifiers+='|_NSGetExecutablePath|proc_pidpath|malloc_zone_[a-z_]*'

status=0
while IFS= read -r -d '' file; do
  platform=0
  case "$file" in Sources/*/Platform.swift) platform=1 ;; esac
  tests=0
  case "$file" in Tests/*) tests=1 ;; esac
  awk -v file="$file" -v platform="$platform" -v tests="$tests" -v names="$identifiers" '
    BEGIN { depth = 0; found = 0 }
    {
      line = $0
      # Comments are not code: whole-line comments, and a comment after code.
      if (line ~ /^[ \t]*\/\//) next
      sub(/[ \t]\/\/.*$/, "", line)
      # Track #if blocks: a block (or branch) whose condition names os(Linux) is Linux-only.
      if (line ~ /^[ \t]*#if[ \t(]/) { depth++; linux[depth] = (line ~ /os\(Linux\)/ && line !~ /!os\(Linux\)/); next }
      if (line ~ /^[ \t]*#elseif[ \t(]/) { linux[depth] = (line ~ /os\(Linux\)/ && line !~ /!os\(Linux\)/); next }
      if (line ~ /^[ \t]*#else([ \t]|$)/) { linux[depth] = 0; next }
      if (line ~ /^[ \t]*#endif/) { if (depth > 0) depth--; next }
      if (platform) next
      inLinux = 0
      for (d = 1; d <= depth; d++) if (linux[d]) inLinux = 1
      # Names inside string literals are not calls ("fork" in the refused list); paths are.
      code = line
      gsub(/"([^"\\]|\\.)*"/, "\"\"", code)
      what = ""
      if (line ~ /^[ \t]*(@[A-Za-z_]+[ \t]+)*import[ \t]+([a-z]+[ \t]+)?(Glibc|Darwin|Musl|SwiftGlibc)([ \t.;]|$)/) {
        what = "imports the C library directly (only Sources/<Module>/Platform.swift may; Foundation brings POSIX)"
      } else if (line ~ /\/proc([\/"]|$)/ || line ~ /"\/sys\//) {
        what = "reads /proc or /sys, which only Linux has"
      } else if (code ~ ("(^|[^A-Za-z0-9_])(" names ")([^A-Za-z0-9_]|$)")) {
        what = "uses a call or constant that exists on Linux or on Darwin only"
      }
      if (what == "") next
      if (tests && inLinux && what !~ /imports/) next
      printf "%s:%d: %s: %s\n", file, NR, what, $0
      found = 1
    }
    END { exit found }
  ' "$file" || status=1
done < <(find Sources Solutions Lessons Tests -name '*.swift' -print0 | sort -z)

if [ "$status" -ne 0 ]; then
  echo "platform code belongs in Sources/<Module>/Platform.swift, behind #if canImport(Glibc) / #elseif canImport(Darwin)"
  echo "(tests: inside #if os(Linux)); see docs/ARCHITECTURE.md, \"Platforms\""
  exit 1
fi
echo "platform code: only the Platform.swift files import Glibc or Darwin or use a Linux-only or Darwin-only call"

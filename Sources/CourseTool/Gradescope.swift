import CourseKit
import Foundation

/// `deeprl gradescope DIR`: the autograder bundle for Gradescope, ready to
/// zip: the pristine handout in `source/`, `setup.sh` (run once when the
/// autograder image is built) and `run_autograder` (run for every
/// submission). Both honour AUTOGRADER_ROOT (default /autograder), so the
/// same scripts run in a simulated layout.
public enum GradescopeBundle {
    /// The version of the Swift toolchain `setup.sh` installs when none is on PATH.
    static let toolchain = "6.3.1"

    /// Writes the bundle into `destination` (new or empty).
    ///
    /// - Returns: the files written (the handout's count plus the two scripts).
    @discardableResult
    public static func write(from root: CourseRoot, to destination: String) throws -> Int {
        let target = URL(fileURLWithPath: destination).standardizedFileURL
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: target.path), !contents.isEmpty {
            throw ToolError("\(destination) is not empty; choose a new folder for the Gradescope bundle", status: 2)
        }
        let count = try Handout.write(from: root, to: target.appendingPathComponent("source").path)
        try writeScript(setup, to: target.appendingPathComponent("setup.sh"))
        try writeScript(runAutograder, to: target.appendingPathComponent("run_autograder"))
        return count + 2
    }

    static func writeScript(_ text: String, to url: URL) throws {
        try writeFileAtomically(text, to: url.path)
        chmod(url.path, 0o755)
    }

    /// Gradescope's image build: the toolchain if missing, then a portable
    /// build of the course and of the grader's own copy (so that grading a
    /// submission rebuilds only the lessons it changes).
    static let setup = """
    #!/usr/bin/env bash
    # Gradescope runs this once, as root, when it builds the autograder image.
    set -euo pipefail
    ROOT="${AUTOGRADER_ROOT:-/autograder}"
    if ! command -v swift > /dev/null; then
      # The toolchain: put swift-\(toolchain)-RELEASE-ubuntu22.04.tar.gz next to this script in the zip
      # (or let it download from swift.org), then unpack it into /opt/swift.
      archive="$ROOT/source/../swift-\(toolchain)-RELEASE-ubuntu22.04.tar.gz"
      if [ ! -f "$archive" ]; then
        apt-get update && apt-get install -y curl
        curl -fsSL -o /tmp/swift.tar.gz "https://download.swift.org/swift-\(toolchain)-release/ubuntu2204/swift-\(toolchain)-RELEASE/swift-\(toolchain)-RELEASE-ubuntu22.04.tar.gz"
        archive=/tmp/swift.tar.gz
      fi
      apt-get install -y binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-11-dev libpython3-dev \\
        libsqlite3-0 libstdc++-11-dev libxml2-dev libz3-dev pkg-config tzdata zlib1g-dev
      mkdir -p /opt/swift && tar -xzf "$archive" -C /opt/swift --strip-components=1
      echo 'export PATH=/opt/swift/usr/bin:$PATH' > /etc/profile.d/swift.sh
      export PATH=/opt/swift/usr/bin:$PATH
    fi
    # The image is built on one machine and graded on others: a portable build (no AVX2 or AVX-512).
    export DEEPRL_PORTABLE=1
    # Test processes run as unprivileged users: they must be able to read the course.
    chmod -R o+rX "$ROOT/source"
    cd "$ROOT/source"
    swift build --product deeprl
    # Warm the grader's own copy with the untouched lessons.
    \(BuildFolder.student)/debug/deeprl grade --submission Lessons > /dev/null
    """

    /// One submission: grade `$ROOT/submission` into `$ROOT/results/results.json`.
    static let runAutograder = """
    #!/usr/bin/env bash
    # Gradescope runs this for every submission, as root: the grader runs each exercise's tests as an
    # unprivileged user, in its own process group, under memory, CPU, file and process limits.
    set -uo pipefail
    ROOT="${AUTOGRADER_ROOT:-/autograder}"
    export DEEPRL_PORTABLE=1
    [ -f /etc/profile.d/swift.sh ] && . /etc/profile.d/swift.sh
    mkdir -p "$ROOT/results"
    cd "$ROOT/source"
    # Each exercise's tests use one thread for their tensor products (--threads 1, the default) while
    # exercises run side by side (--jobs, default: the cores): no exercise competes with another for a core,
    # so the timing a timeout sees is the same on every grading machine. Scores and values do not depend on
    # either number (TensorCore's results are identical with any thread count).
    if ! \(BuildFolder.student)/debug/deeprl grade --submission "$ROOT/submission" --gradescope "$ROOT/results/results.json" \\
         --json "$ROOT/results/grade.json" --timeout 120 --threads 1 > "$ROOT/results/grade.txt" 2> "$ROOT/results/grade.log"; then
      # The grader fails only when the course itself is broken; still leave a results file.
      if [ ! -f "$ROOT/results/results.json" ]; then
        printf '{"score": 0, "output": "The autograder could not grade this submission (the course did not build); the staff have been told.", "tests": []}\\n' > "$ROOT/results/results.json"
      fi
      cat "$ROOT/results/grade.log" >&2
      exit 1
    fi
    """
}

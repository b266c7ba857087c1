/// The help text of `deeprl` and of each subcommand.
enum Usage {
    static let main = """
    deeprl: the deep RL course tool

    usage: deeprl <command> [options]

    commands:
      demo <lesson>|all   run a lecture demo, or all of them (deeprl demo lists them)
      grade               grade the lessons: points per exercise and lesson
      progress            what passes, what fails, and what to do next
      check [ID]          build and check one exercise or lesson (default: the next one)
      watch [ID]          re-check the current exercise whenever a lesson file is saved
      hint <exercise>     where exercise <id> lives, and its hint (--level 2, 3 for more)
      bench               benchmark the tensor core and the environments
      mistakes            check that the tests catch every catalogued mistake
      handout <DIR>       write a student copy without Solutions/
      gradescope <DIR>    write the Gradescope autograder bundle
      generate            regenerate Lessons/ from Solutions/ (--check: only compare)

    Run `deeprl <command> --help` for a command's options.
    """

    static let commands: [String: String] = [
        "demo": """
        usage: deeprl demo <lesson>|all [--reference] [--seed N] [--svg PATH] [--steps N] [--log FILE] [--task NAME]
                                        [--jobs N]

        Runs a lecture demo (or every demo, in lesson order, with `all`) on the
        implementation this build compiled: your own code in Lessons/, or the
        reference solutions with --reference (built into
        .build-solutions the first time; or build with DEEPRL_IMPL=solutions).
        The last line is `summary: ...` with the headline numbers.

          --reference  run the reference solutions (instructors' copy only)
          --seed N     seed of every random number (default 0)
          --svg PATH   also write the figures as SVG (a file, or a folder for
                       demos with several figures and for `all`)
          --steps N    demo-specific size (sweeps, episodes or steps)
          --log FILE   write the training run's log (CSV; JSON lines for a
                       .jsonl name; a folder with `all`) for demos that
                       train an agent; columns are the Metric names
                       (charts/episodic_return, losses/td_loss, ...)
          --task NAME  another task of a demo that has several (ppo:
                       cartpole, the default, or pendulum)
          --jobs N     train up to N of a comparison's independent runs (its
                       seeds) at once (default 1); the numbers and figures
                       are the same with any N, only the wall time changes
        """,
        "grade": """
        usage: deeprl grade [--reference] [--submission DIR] [--lesson ID[,ID]] [--timeout S]
                            [--jobs N] [--threads N] [--memory-mb N] [--json FILE] [--gradescope FILE]
                            [--expect-score N|full]

        Builds the course once, then runs each exercise's tests in its own
        process, so a crash or an endless loop costs only that exercise.

          --reference        grade Solutions/ instead of Lessons/
          --submission DIR   grade the lesson .swift files in DIR (a course copy,
                             a Lessons/ folder, or loose files) in a pristine copy
          --lesson ID        grade only these lessons (comma-separated: 01,02 or mdps)
          --timeout S        seconds per exercise before it is stopped (default 120)
          --jobs N           exercises graded at once (default: the core count)
          --threads N        threads each exercise's tensor products may use
                             (DEEPRL_THREADS in its tests; default 1, so that
                             exercises graded side by side never compete for
                             cores; scores and values are the same with any N)
          --memory-mb N      memory limit of each exercise's test process (default 2048)
          --json FILE        write the grade as JSON
          --gradescope FILE  write Gradescope's results.json (both files are
                             checked before grading starts: a folder that
                             cannot take them is an error at once)
          --expect-score N   exit 1 unless the total is N points ('full' = every
                             point; CI expects full for --reference, 0 for the
                             untouched skeletons)
        """,
        "progress": """
        usage: deeprl progress [--timeout S]

        Lists every exercise as passing, failing or not started, and the next
        one to do with its file, line and hint.
        """,
        "hint": """
        usage: deeprl hint <exercise-id> [--level N]

        Shows an exercise's goal, file and line, its hint, and the command that
        checks it, for example `deeprl hint 1.3`. Level 1 points at the idea;
        --level 2 at the shape of the computation; --level 3 comes close to the
        answer.
        """,
        "check": """
        usage: deeprl check [ID] [--timeout S]

        Builds the course and runs the tests of one exercise (3.5) or of every
        exercise of a lesson (03), or, without ID, of the first exercise that
        does not pass yet. Prints each exercise's result, the failing checks'
        messages (not the test framework's log), the hint and the lesson's
        progress. Exit status 0 when everything checked passes.
        """,
        "watch": """
        usage: deeprl watch [ID] [--interval S]

        Follows one exercise (ID; a lesson's ID or name: its first exercise that
        does not pass; none: the first that does not pass): whenever a
        .swift file under Lessons/ is saved, rebuilds and re-checks it, shows the
        result, and moves on to the next exercise once it passes. Several saves
        in a row trigger one rebuild. Ctrl-C stops. --interval sets how often
        the files are looked at (default 0.5 s).
        """,
        "bench": """
        usage: deeprl bench [--json] [--only KEY[,KEY]] [--threads N]
               deeprl bench --products [--only KEY[,KEY]]

        Runs the benchmark workloads (build with -c release) and prints
        microseconds per operation, and the heap allocations per training
        update after warm-up (*_allocations, Linux); --json prints one JSON
        object; --only runs just the named keys (for example --only dqn_update_us;
        a key it does not know is an error that lists them all).
        The tensor workloads run twice: on one thread (dqn_update_us, ...) and
        with the default threads (dqn_update_us_threads, ...: every core, at
        most 8, or DEEPRL_THREADS, or --threads N); sac_update_thread_speedup
        and matmul_256_thread_speedup are one thread's time over the default
        threads', from rounds run in pairs (robust to a host that changes
        speed). The first line of standard error names the kernel tier and the
        thread counts.
        --products instead times every matrix product inside the DQN, PPO and
        SAC updates (or those --only names by their keys) and prints one table
        per update: each product's kind and shape, its calls, microseconds,
        share of the update and GFLOP/s, and its GFLOP/s timed alone.
        """,
        "mistakes": """
        usage: deeprl mistakes [--lesson ID[,ID]] [--exercise ID] [--timeout S] [--jobs N] [--minimum N]

        Splices every entry of the mistake catalogue (Solutions/NN-Name/Mistakes/)
        into a copy of the reference, builds it once, and grades each mistake's
        exercise and the exercises that call it. Prints a table; exits 1 when a
        mistake is missed, when its first failure message lacks the phrase its
        EXPECT line names, when another exercise fails with it without its report
        saying where the fault lies, when a correct variant fails, or when an
        exercise has fewer than --minimum mistakes (default 3).
        """,
        "handout": """
        usage: deeprl handout <DIR>

        Writes a student copy into DIR (new or empty): everything but
        Solutions/, checked for leaked solution text.
        """,
        "gradescope": """
        usage: deeprl gradescope <DIR>

        Writes Gradescope's autograder bundle into DIR (new or empty): source/
        (the pristine handout), setup.sh (toolchain, portable build, a warmed
        grader) and run_autograder (grades /autograder/submission into
        /autograder/results/results.json as an unprivileged user per exercise).
        Both scripts honour AUTOGRADER_ROOT for a dry run in another folder.
        """,
        "generate": """
        usage: deeprl generate [--check]

        Writes Lessons/*.swift from the marked solution bodies in Solutions/.
        With --check, writes nothing and exits 1 listing the files that differ.
        """,
    ]
}

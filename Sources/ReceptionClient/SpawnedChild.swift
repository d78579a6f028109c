#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with `posix_spawnp`, its standard input and output connected to
/// pipes held by this process (standard error is inherited). ``RPCTransport/command(_:endpoint:)``
/// speaks the protocol over them.
struct SpawnedChild {
    /// The child's process id.
    let pid: pid_t
    /// Our end of the child's standard input (we write).
    let input: Int32
    /// Our end of the child's standard output (we read).
    let output: Int32

    /// A failure to start the child, with `errno`'s text.
    struct Failure: Error {
        let text: String
    }

    /// Starts `arguments[0]`, found on `PATH`, with `arguments` as its argv and this process's
    /// environment. Our pipe ends are close-on-exec, so no other child inherits them.
    static func start(_ arguments: [String]) throws(Failure) -> SpawnedChild {
        guard let program = arguments.first, !program.isEmpty else { throw Failure(text: "no command given") }
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard closeOnExecPipe(&toChild) else { throw Failure(text: UnixSocket.errorText(errno)) }
        guard closeOnExecPipe(&fromChild) else {
            let code = errno
            for fd in toChild { _ = close(fd) }
            throw Failure(text: UnixSocket.errorText(code))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the child's 0 and 1; the originals close at exec.
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, program, &actions, nil, argv, environ)
        _ = close(toChild[0])
        _ = close(fromChild[1])
        guard result == 0 else {
            _ = close(toChild[1])
            _ = close(fromChild[0])
            throw Failure(text: UnixSocket.errorText(result))
        }
        return SpawnedChild(pid: pid, input: toChild[1], output: fromChild[0])
    }

    /// `pipe(2)` with both ends close-on-exec (Glibc's module does not export `pipe2`; receptionctl
    /// starts no other child while this runs, so nothing can inherit them in between).
    private static func closeOnExecPipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }
}

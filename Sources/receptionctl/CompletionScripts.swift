/// The completion scripts `receptionctl completion` prints. Each hands the words typed so far to
/// `receptionctl __complete` and offers what it answers; when it answers nothing (a file name
/// is wanted, or there is nothing to offer) bash and zsh fall back to file names.
///
/// They call the same program the person typed (`${COMP_WORDS[0]}`, `${words[1]}`,
/// `$tokens[1]`), so a build-tree binary completes with its own list.
enum CompletionScripts {
    /// For bash 4+, without needing the bash-completion package. `--kind=let` works too: bash
    /// splits it at `=`, and `__complete` reads `--kind = let` as the option and its value.
    static let bash = #"""
        # bash completion for receptionctl: receptionctl completion bash
        _receptionctl() {
            local cur="${COMP_WORDS[COMP_CWORD]}"
            local candidates
            candidates="$("${COMP_WORDS[0]}" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null)"
            COMPREPLY=()
            if [[ -n "$candidates" ]]; then
                mapfile -t COMPREPLY <<< "$candidates"
            else
                compopt -o default 2>/dev/null
            fi
        }
        complete -F _receptionctl receptionctl
        """#

    /// For zsh: install as `_receptionctl` in a directory of `$fpath`, or `source` it after `compinit`.
    static let zsh = #"""
        #compdef receptionctl
        # zsh completion for receptionctl: receptionctl completion zsh
        _receptionctl() {
            local -a candidates
            candidates=("${(@f)$("${words[1]}" __complete -- "${(@)words[2,CURRENT-1]}" "${words[CURRENT]}" 2>/dev/null)}")
            candidates=(${candidates:#})
            if (( ${#candidates} )); then
                compadd -- "${candidates[@]}"
            else
                _files
            fi
        }
        if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
            _receptionctl "$@"
        else
            compdef _receptionctl receptionctl
        fi
        """#

    /// For fish: install as `receptionctl.fish` in a completions directory, or `source` it.
    static let fish = #"""
        # fish completion for receptionctl: receptionctl completion fish
        function __receptionctl_complete
            set -l tokens (commandline -opc)
            set -l current (commandline -ct)
            $tokens[1] __complete -- $tokens[2..-1] "$current" 2>/dev/null
        end
        complete -c receptionctl -f -a '(__receptionctl_complete)'
        """#
}

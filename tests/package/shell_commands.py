"""The programs a POSIX shell script runs, read from its text (nothing is executed).

ShellScript lexes a script the way sh does as far as finding commands needs: quotes, escapes,
line continuations, comments, here-documents, command substitutions ($(...) and `...`, scanned as
scripts of their own), pipelines and lists, redirections, case patterns, functions and `for`
headers. CommandResolver then takes each simple command's words and decides what runs: it skips
assignments, shell keywords and builtins, the script's own functions and variables, and follows
wrappers (exec, timeout, env, dbus-run-session, the script's own functions that run "$@", ...) to
the program they start. `sh -c BODY` bodies are scanned as scripts; `python3 -c CODE` bodies are
kept for the caller (their imports are modules the tests need).
"""
import re
from dataclasses import dataclass, field

# Keywords and builtins of dash/bash: never programs of a package. (`[`, `echo`, `printf`, `test`,
# `kill`, `true` and `false` exist as files too, but sh runs its builtins.)
BUILTINS = {
    "!", "{", "}", "[", "[[", ":", ".", "alias", "bg", "break", "cd", "command", "continue", "eval",
    "exec", "exit", "export", "false", "fg", "getopts", "hash", "jobs", "kill", "local", "printf",
    "pwd", "read", "readonly", "return", "set", "shift", "source", "test", "times", "trap", "true",
    "type", "ulimit", "umask", "unalias", "unset", "wait", "echo",
}
KEYWORD_PREFIXES = {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"}
KEYWORDS_ALONE = {"fi", "done", "esac", "}"}
REDIRECTIONS = {"<", ">", ">>", ">&", "<&", ">|", "<>", "<<", "<<-"}
SEPARATORS = {";", ";;", "&&", "||", "|", "&", "(", ")"}
OPERATORS = sorted(SEPARATORS | REDIRECTIONS, key=len, reverse=True)
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
COMMAND_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")

# Programs that run another program given on their command line:
# name -> (options that take a value, positional arguments before the command).
WRAPPERS = {
    "timeout": ({"-s", "--signal", "-k", "--kill-after"}, 1),
    "nice": ({"-n", "--adjustment"}, 0),
    "env": ({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}, 0),
    "nohup": (set(), 0),
    "xvfb-run": ({"-e", "-f", "-n", "-p", "-s", "-w", "--error-file", "--auth-file", "--server-num",
                  "--xauth-protocol", "--server-args", "--wait"}, 0),
    "dbus-run-session": ({"--config-file", "--dbus-daemon"}, 0),
    "sudo": ({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"}, 0),
    "fakeroot": ({"-l", "--lib", "--faked", "-s", "-i"}, 0),
    "chroot": ({"--userspec", "--groups"}, 1),
}
SHELLS = {"sh", "bash", "dash"}
PYTHONS = re.compile(r"python3(\.\d+)?")


@dataclass
class Word:
    text: str                 # quotes removed; expansions kept verbatim ($x, ${x:-y}, $(...))
    expanded: bool = False    # holds a parameter expansion or command substitution
    line: int = 0
    subs: list = field(default_factory=list)  # command substitutions inside: (text, line)


@dataclass
class SimpleCommand:
    words: list
    line: int
    function: str = None      # the function whose body holds it


def find_closing_paren(s, i):
    """Index of the ')' that closes the '(' at s[i], skipping quoted text and escapes."""
    depth, j, n = 0, i, len(s)
    while j < n:
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "'":
            j = s.find("'", j + 1)
            if j < 0:
                return n
        elif c == '"':
            j += 1
            while j < n and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return n


class _Lexer:
    """Splits a script into words and operators (kind, value, line), as sh's tokenizer does."""

    def __init__(self, text, line):
        self.s, self.i, self.line = text, 0, line
        self.tokens, self.word, self.heredocs = [], None, []

    def _add(self, text, expanded=False):
        if self.word is None:
            self.word = Word("", False, self.line)
        self.word.text += text
        self.word.expanded |= expanded

    def _end_word(self):
        if self.word is None:
            return
        if self.tokens and self.tokens[-1][0] == "op" and self.tokens[-1][1] in ("<<", "<<-"):
            self.heredocs.append((self.word.text, self.tokens[-1][1] == "<<-"))
        self.tokens.append(("word", self.word, self.word.line))
        self.word = None

    def _substitution(self, body, raw):
        self._add(raw, True)
        self.word.subs.append((body, self.line))

    def _dollar(self):
        s, i = self.s, self.i
        if s.startswith("$((", i):  # arithmetic: no commands inside
            j = find_closing_paren(s, i + 1)
            self._add(s[i:j + 1], True)
        elif s.startswith("$(", i):
            j = find_closing_paren(s, i + 1)
            self._substitution(s[i + 2:j], s[i:j + 1])
        elif s.startswith("${", i):
            j = s.find("}", i)
            j = len(s) - 1 if j < 0 else j
            self._add(s[i:j + 1], True)
        else:
            m = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])").match(s, i)
            if not m:
                self._add("$")
                return i + 1
            self._add(m.group(0), True)
            return m.end()
        self.line += s.count("\n", i, j + 1)
        return j + 1

    def _double_quoted(self):
        s, j = self.s, self.i + 1
        self._add("")
        while j < len(s) and s[j] != '"':
            c = s[j]
            if c == "\\" and j + 1 < len(s):
                if s[j + 1] != "\n":
                    self._add(s[j + 1] if s[j + 1] in '$`"\\' else s[j:j + 2])
                j += 2
            elif c == "$":
                self.i = j
                j = self._dollar()
            elif c == "`":
                k = s.find("`", j + 1)
                k = len(s) if k < 0 else k
                self._substitution(s[j + 1:k], s[j:k + 1])
                j = k + 1
            else:
                self.line += c == "\n"
                self._add(c)
                j += 1
        return j + 1

    def _skip_heredocs(self):
        for delimiter, strip_tabs in self.heredocs:
            delimiter = delimiter.strip("'\"")
            while self.i < len(self.s):
                end = self.s.find("\n", self.i)
                end = len(self.s) if end < 0 else end
                body_line = self.s[self.i:end]
                self.i, self.line = end + 1, self.line + 1
                if (body_line.lstrip("\t") if strip_tabs else body_line) == delimiter:
                    break
        self.heredocs = []

    def tokenize(self):
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c == "\\":
                if s.startswith("\\\n", self.i):
                    self.line += 1
                else:
                    self._add(s[self.i + 1:self.i + 2])
                self.i += 2
            elif c in " \t":
                self._end_word()
                self.i += 1
            elif c == "\n":
                self._end_word()
                self.tokens.append(("nl", "\n", self.line))
                self.line += 1
                self.i += 1
                self._skip_heredocs()
            elif c == "#" and self.word is None:
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            elif c == "'":
                end = s.find("'", self.i + 1)
                end = len(s) if end < 0 else end
                self._add(s[self.i + 1:end])
                self.line += s.count("\n", self.i, end)
                self.i = end + 1
            elif c == '"':
                self.i = self._double_quoted()
            elif c == "`":
                end = s.find("`", self.i + 1)
                end = len(s) if end < 0 else end
                self._substitution(s[self.i + 1:end], s[self.i:end + 1])
                self.i = end + 1
            elif c == "$":
                self.i = self._dollar()
            elif c in "|&;()<>":
                if c in "<>" and self.word is not None and self.word.text.isdigit() \
                        and not self.word.expanded:
                    self.word = None  # an IO number (2>&1)
                self._end_word()
                op = next(o for o in OPERATORS if s.startswith(o, self.i))
                self.tokens.append(("op", op, self.line))
                self.i += len(op)
            else:
                self._add(c)
                self.i += 1
        self._end_word()
        return self.tokens


class ShellScript:
    """The simple commands of a script, with the functions and literal variables it defines."""

    def __init__(self, text, line=1):
        self.commands = []          # SimpleCommand, in order, substitutions included
        self.functions = []         # names, in definition order
        self.literals = {}          # variable -> set of literal values assigned to it
        self._parse(_Lexer(text, line).tokenize())

    def _parse(self, tokens):
        words, case_stack, func_stack = [], [], []
        self._depth, self._pending_function = 0, None
        i = 0
        while i < len(tokens):
            kind, value, line = tokens[i]
            if kind == "word":
                words.append(value)
            elif kind == "op" and value in REDIRECTIONS:
                if i + 1 < len(tokens) and tokens[i + 1][0] == "word":
                    self._subs(tokens[i + 1][1], func_stack)
                    i += 1
            elif kind == "op" and value == "(" and len(words) == 1 and not words[0].expanded \
                    and i + 1 < len(tokens) and tokens[i + 1][1] == ")":
                self._pending_function = words[0].text
                self.functions.append(words[0].text)
                words = []
                i += 1
            else:
                self._segment(words, value, case_stack, func_stack)
                words = []
            i += 1
        self._segment(words, "\n", case_stack, func_stack)

    def _subs(self, word, func_stack):
        for body, line in word.subs:
            inner = ShellScript(body, line)
            function = func_stack[-1][0] if func_stack else None
            for command in inner.commands:
                command.function = command.function or function
                self.commands.append(command)

    def _segment(self, words, separator, case_stack, func_stack):
        for w in words:
            self._subs(w, func_stack)
        if case_stack and case_stack[-1] == "pattern":
            if words and words[0].text == "esac":
                case_stack.pop()
            elif separator == ")":
                case_stack[-1] = "body"
            return
        while words and not words[0].expanded and words[0].text in KEYWORD_PREFIXES:
            if words[0].text == "{":
                self._depth += 1
                if self._pending_function:
                    func_stack.append((self._pending_function, self._depth))
                    self._pending_function = None
            words = words[1:]
        if words and not words[0].expanded and words[0].text in KEYWORDS_ALONE:
            if words[0].text == "}":
                if func_stack and func_stack[-1][1] == self._depth:
                    func_stack.pop()
                self._depth -= 1
            elif words[0].text == "esac" and case_stack:
                case_stack.pop()
            words = words[1:]
        if separator == ";;" and case_stack:
            case_stack[-1] = "pattern"
        if not words or words[0].text == "for":
            return
        if words[0].text == "case":
            case_stack.append("pattern")
            return
        if all(ASSIGNMENT.match(w.text) for w in words):
            for w in words:
                name, value = w.text.split("=", 1)
                self.literals.setdefault(name, set()).add(None if w.expanded else value)
            return
        function = func_stack[-1][0] if func_stack else None
        self.commands.append(SimpleCommand(words, words[0].line, function))


def _via(how, wrapper):
    """How a program is reached: "via check", then "via check → run"."""
    return f"{how} → {wrapper}" if how else f"via {wrapper}"


@dataclass
class Invocation:
    program: str   # a command name or an absolute path
    line: int
    how: str       # e.g. "via check → run"


class CommandResolver:
    """Decides which programs a list of command words runs."""

    def __init__(self, functions=(), literals=None, own_executables=()):
        self.wrapper_functions = {}   # function -> arguments before the command it runs
        self.functions = set(functions)
        self.literals = literals or {}
        self.own = set(own_executables)
        self.invocations, self.python_code, self.skipped = [], [], []

    def learn_wrappers(self, script):
        """Marks the script's functions that run their arguments ("$@"), with the arguments they
        shift off first (`check DESCRIPTION COMMAND...` shifts one)."""
        for name in script.functions:
            body = [c for c in script.commands if c.function == name]
            shifts = sum(int(c.words[1].text) if len(c.words) > 1 and c.words[1].text.isdigit() else 1
                         for c in body if c.words[0].text == "shift")
            probe = CommandResolver(self.functions, self.literals, self.own)
            probe.wrapper_functions = self.wrapper_functions
            if any(probe.resolve(c.words, c.line) == "$@" for c in body):
                self.wrapper_functions[name] = shifts

    def _skip_wrapper_arguments(self, words, i, options, positional):
        while i < len(words):
            text = words[i].text
            if text == "--":
                i += 1
                break
            if text in options:
                i += 2
            elif text.startswith("-") and len(text) > 1:
                i += 1
            elif ASSIGNMENT.match(text):
                i += 1
            else:
                break
        return i + positional

    def resolve(self, words, line, how=""):
        """Records what the command runs; returns "$@" when it runs its own arguments."""
        i = 0
        while i < len(words):
            while i < len(words) and ASSIGNMENT.match(words[i].text):
                i += 1
            if i >= len(words):
                return None
            w, text = words[i], words[i].text
            if w.expanded:
                outcome = self._expansion(w, line, how)
                if outcome != "next word":
                    return outcome
                i += 1
            elif text in self.wrapper_functions:
                how = _via(how, text)
                i += 1 + self.wrapper_functions[text]
            elif text in ("exec", "command"):
                if text == "command" and i + 1 < len(words) and words[i + 1].text in ("-v", "-V"):
                    return None  # a lookup, not a run
                i += 1
            elif text in self.functions or text in BUILTINS or text in KEYWORDS_ALONE:
                return None
            elif not self._is_program(text, line):
                return None
            else:
                self._record(text, line, how)
                i, how = self._wrapped(words, i, line, how)
        return None

    def _expansion(self, w, line, how):
        """A command word that is an expansion: "$@", None (nothing more to find) or "next word"
        (a variable that may be empty, so the next word may be the command)."""
        if w.text in ("$@", "$*"):
            return "$@"
        default = re.fullmatch(r"\$\{\w+:?-([A-Za-z0-9_.+/-]+)\}", w.text)
        if default:
            self._record(default.group(1), line, ", ".join(filter(None, [how, f"default of {w.text}"])))
            return None
        name = re.fullmatch(r"\$\{?(\w+)\}?", w.text)
        values = self.literals.get(name.group(1)) if name else None
        if not values or None in values:
            self.skipped.append((line, f"{w.text}: a variable, not a program name"))
            return None
        for value in sorted(v for v in values if v):
            self._record(value, line, ", ".join(filter(None, [how, f"value of ${name.group(1)}"])))
        return "next word" if "" in values else None

    def _is_program(self, text, line):
        if "/" in text and not text.startswith("/"):
            self.skipped.append((line, f"{text}: a file of the project"))
        elif text in self.own or text.startswith("<target:"):
            self.skipped.append((line, f"{text}: the project's own executable"))
        elif not text.startswith("/") and not COMMAND_NAME.fullmatch(text):
            self.skipped.append((line, f"{text!r}: not a command name"))
        else:
            return True
        return False

    def _wrapped(self, words, i, line, how):
        """After the program at words[i]: (index of the command it runs, how) for a wrapper, else
        (len(words), how); `sh -c` bodies are scanned, `python3 -c` code is kept."""
        base, rest = words[i].text.rsplit("/", 1)[-1], words[i + 1:]
        if base in SHELLS and len(rest) >= 2 and rest[0].text == "-c":
            inner = ShellScript(rest[1].text, line)
            resolver = CommandResolver(inner.functions, inner.literals, self.own)
            resolver.learn_wrappers(inner)
            for c in inner.commands:
                resolver.resolve(c.words, line, f"in {base} -c")
            self.invocations += resolver.invocations
            self.python_code += resolver.python_code
            self.skipped += resolver.skipped
        elif PYTHONS.fullmatch(base) and len(rest) >= 2 and rest[0].text == "-c":
            self.python_code.append((line, rest[1].text))
        elif base == "cmake" and [x.text for x in rest[:2]] == ["-E", "env"]:
            return self._skip_wrapper_arguments(words, i + 3, set(), 0), _via(how, "cmake -E env")
        elif base in WRAPPERS:
            options, positional = WRAPPERS[base]
            return self._skip_wrapper_arguments(words, i + 1, options, positional), _via(how, base)
        return len(words), how

    def _record(self, program, line, how):
        self.invocations.append(Invocation(program, line, how))


def scan_shell(text, own_executables=()):
    """Invocations, python -c bodies and skipped words of a whole script."""
    script = ShellScript(text)
    resolver = CommandResolver(script.functions, script.literals, own_executables)
    resolver.learn_wrappers(script)
    for command in script.commands:
        resolver.resolve(command.words, command.line)
    return resolver

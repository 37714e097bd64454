"""Readers of the project's source languages, as far as finding the programs they run needs:
CMake command invocations, C++ string literals, and the imports of Python files and fragments."""
import ast
import re
from dataclasses import dataclass

@dataclass
class CMakeCommand:
    name: str                  # lower case
    args: list                 # argument texts, quotes removed
    file: str
    line: int

    def values(self, variable):
        return self.args[1:] if self.name == "set" and self.args[:1] == [variable] else []


def cmake_commands(text, file):
    """The command invocations of a CMake file: name(args) with quoted, bracket and unquoted
    arguments (escapes decoded) and comments skipped."""
    commands, i, line, n = [], 0, 1, len(text)
    invocation = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(")
    bracket = re.compile(r"\[(=*)\[")
    while i < n:
        c = text[i]
        if c == "#":
            m = bracket.match(text, i + 1)
            end = text.find("]" + m.group(1) + "]", i) if m else text.find("\n", i)
            end = n if end < 0 else end
            line += text.count("\n", i, end)
            i = end
            continue
        m = invocation.match(text, i)
        if not m or (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")):
            line += c == "\n"
            i += 1
            continue
        start_line, args, depth, j = line, [], 1, m.end()
        while j < n and depth:
            c = text[j]
            if c in " \t\r\n":
                line += c == "\n"
                j += 1
            elif c == "#":
                j = text.find("\n", j)
                j = n if j < 0 else j
            elif c == ")":
                depth -= 1
                j += 1
            elif c == "(":
                depth += 1
                j += 1
            elif c == "[" and bracket.match(text, j):
                b = bracket.match(text, j)
                end = text.find("]" + b.group(1) + "]", b.end())
                end = n if end < 0 else end
                args.append(text[b.end():end])
                line += text.count("\n", j, end)
                j = end + len(b.group(1)) + 2
            else:
                arg, j, line = _cmake_argument(text, j, line)
                args.append(arg)
        commands.append(CMakeCommand(m.group(1).lower(), args, file, start_line))
        i = j
    return commands


def _cmake_argument(text, j, line):
    """One quoted or unquoted argument from text[j]; returns (argument, next index, line)."""
    out, n = [], len(text)
    quoted = text[j] == '"'
    while j < n:
        c = text[j]
        if c == '"':
            k = j + 1
            while k < n and text[k] != '"':
                if text[k] == "\\" and k + 1 < n:
                    nxt = text[k + 1]
                    if nxt != "\n":
                        out.append({"n": "\n", "t": "\t", ";": ";"}.get(nxt, nxt))
                    line += nxt == "\n"
                    k += 2
                else:
                    line += text[k] == "\n"
                    out.append(text[k])
                    k += 1
            j = k + 1
            if quoted:
                break
        elif c in " \t\r\n()#":
            break
        elif c == "\\" and j + 1 < n:
            out.append(text[j + 1])
            j += 2
        else:
            out.append(c)
            j += 1
    return "".join(out), j, line


def cpp_string_literals(text):
    """(text, line) of every C++ string literal, adjacent ones joined, comments skipped."""
    literals, i, line, n = [], 0, 1, len(text)
    last_end = -1
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'", "0": "\0"}
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            end = text.find("*/", i)
            end = n if end < 0 else end
            line += text.count("\n", i, end)
            i = end + 2
        elif c == "'":
            m = re.compile(r"'(\\.|[^'\\])*'").match(text, i)
            i = m.end() if m else i + 1
        elif c == '"' or (c == "R" and text.startswith('R"', i) and not text[i - 1:i].isalnum()):
            raw = c == "R"
            if raw:
                m = re.compile(r'R"([^(\s]*)\(').match(text, i)
                end = text.find(")" + m.group(1) + '"', m.end())
                value, stop = text[m.end():end], end + len(m.group(1)) + 2
            else:
                m = re.compile(r'"((?:\\.|[^"\\\n])*)"').match(text, i)
                if not m:
                    i += 1
                    continue
                value = re.sub(r"\\(.)", lambda e: escapes.get(e.group(1), e.group(1)), m.group(1))
                stop = m.end()
            if literals and text[last_end:i].strip() == "":
                literals[-1] = (literals[-1][0] + value, literals[-1][1])
            else:
                literals.append((value, line))
            line += text.count("\n", i, stop)
            i = last_end = stop
        else:
            line += c == "\n"
            i += 1
    return literals


def python_imports_in_code(code):
    """Top-level module names imported by Python statements in a code fragment."""
    modules = []
    for statement in re.split(r"[\n;]", code):
        statement = statement.strip()
        name = r"[A-Za-z_][\w.]*(?:\s+as\s+\w+)?"
        m = re.fullmatch(rf"import\s+({name}(?:\s*,\s*{name})*)", statement)
        if m:
            modules += [part.split()[0].split(".")[0] for part in m.group(1).split(",")]
        m = re.match(r"from\s+([A-Za-z_][\w.]*)\s+import\b", statement)
        if m:
            modules.append(m.group(1).split(".")[0])
    return modules


def python_file_imports(path):
    """(module, line, optional) of a Python file's absolute imports; optional when inside a
    `try` that catches ImportError."""
    tree = ast.parse(path.read_text(), str(path))
    optional_lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            for inner in node.body:
                optional_lines |= {n.lineno for n in ast.walk(inner) if hasattr(n, "lineno")}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name.split(".")[0], node.lineno, node.lineno in optional_lines) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module != "__future__":
            found.append((node.module.split(".")[0], node.lineno, node.lineno in optional_lines))
    return found

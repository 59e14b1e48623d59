"""Reads PowerShell code that vault emitted and says what it would do, from
the tree-sitter PowerShell grammar's parse (pwsh itself is not packaged for
Debian): tests/injection.rs compares the values with those it planted.

Usage: ps_values.py FILE...   (`-` reads standard input)
       ps_values.py --quotes  (the quote characters, as a JSON array)
Prints one line per file, a JSON array: ["set", NAME, VALUE] for `$Env:NAME = '...'` and
`$global:NAME = '...'`, ["unset", NAME] for vault's `Remove-Item` line, and
["other", TEXT] for any other statement or any ERROR or MISSING node: code
vault must never emit, since it could run a command.
"""

import json
import os
import sys

import tree_sitter
import tree_sitter_powershell

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The five single-quote characters of PowerShell's language specification
# (ps_spec.py's table), not the escaper's own list.
from ps_spec import QUOTES  # noqa: E402

parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))


def text(source, node):
    return source[node.start_byte : node.end_byte].decode("utf-8", "surrogateescape")


def only_child_chain(node, leaf_type):
    """Follows single children down to a `leaf_type` node, or None."""
    while node.type != leaf_type:
        named = [c for c in node.children]
        if len(named) != 1:
            return None
        node = named[0]
    return node


def verbatim(literal):
    """The value of a single-quoted (verbatim) string: a doubled quote is one."""
    if len(literal) < 2 or literal[0] not in QUOTES or literal[-1] not in QUOTES:
        return None
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c in QUOTES:
            if i + 1 < len(body) and body[i + 1] in QUOTES:
                out.append(c)
                i += 2
                continue
            return None  # a lone quote would have ended the string
        out.append(c)
        i += 1
    return "".join(out)


def statement(source, node):
    if node.type == "pipeline" and len(node.children) == 1:
        inner = node.children[0]
        if inner.type == "assignment_expression" and len(inner.children) == 3:
            left, op, right = inner.children
            var = only_child_chain(left, "variable")
            lit = only_child_chain(right, "verbatim_string_characters")
            if var is not None and text(source, op) == "=" and lit is not None:
                name = text(source, var)
                value = verbatim(text(source, lit))
                for prefix in ("$Env:", "$global:"):
                    if name.startswith(prefix) and value is not None:
                        return ["set", name[len(prefix) :], value]
        line = text(source, node)
        if line.startswith("Remove-Item -LiteralPath Env:") and line.endswith(
            " -ErrorAction SilentlyContinue"
        ):
            name = line.split()[2][len("Env:") :]
            if name.replace("_", "").isalnum():
                return ["unset", name]
    return ["other", text(source, node)]


def actions(name):
    source = sys.stdin.buffer.read() if name == "-" else open(name, "rb").read()
    root = parser.parse(source).root_node
    result = []
    if root.has_error:
        result.append(["other", "a parse error"])
    for top in root.children:
        if top.type == "statement_list":
            result.extend(statement(source, s) for s in top.children)
        elif top.type != "comment":
            result.append(["other", text(source, top)])
    return result


if sys.argv[1:] == ["--quotes"]:
    print(json.dumps(list(QUOTES), ensure_ascii=True))
else:
    for name in sys.argv[1:]:
        print(json.dumps(actions(name), ensure_ascii=True))

"""Parses PowerShell scripts with the tree-sitter PowerShell grammar (pwsh
itself is not packaged for Debian) and fails on any ERROR or MISSING node.

Usage: ps_parse.py FILE...   (`-` reads standard input)
Prints one line per problem, `FILE:LINE:COLUMN: ERROR|MISSING <text>`, and
exits 1 if there is any; exits 0 with no output when every script parses.
"""

import sys

import tree_sitter
import tree_sitter_powershell

parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))


def problems(source):
    stack = [parser.parse(source).root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            yield node
        stack.extend(reversed(node.children))


status = 0
for name in sys.argv[1:]:
    source = sys.stdin.buffer.read() if name == "-" else open(name, "rb").read()
    for node in problems(source):
        kind = "MISSING" if node.is_missing else "ERROR"
        line, column = node.start_point
        text = source[node.start_byte : node.end_byte][:60].decode("utf-8", "replace")
        print(f"{name}:{line + 1}:{column + 1}: {kind} {text!r}")
        status = 1
sys.exit(status)

"""Command-line interface: each command parses arguments, calls one service and prints the result."""

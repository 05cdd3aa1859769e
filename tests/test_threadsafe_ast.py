"""flows.threadsafe_ast: ast.parse serialized process-wide on CPython < 3.13 (see its docstring)."""

from __future__ import annotations

import ast
import subprocess
import sys
import threading

import pytest

from flows import threadsafe_ast


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="CPython 3.13+ builds ASTs thread-safely")
def test_install_wraps_parse_once_and_keeps_its_behaviour() -> None:
    code = "def f(x: int = 1) -> int:\n    return [x, {'a': (1, 2)}][0]\n"
    before = ast.dump(ast.parse(code))
    assert threadsafe_ast.install() and threadsafe_ast.install()
    assert getattr(ast.parse, "__claimledger_serialized__", False)
    assert ast.dump(ast.parse(code)) == before
    assert ast.literal_eval("('a', 1, [2.5])") == ("a", 1, [2.5])
    with pytest.raises(SyntaxError):
        ast.parse("def (")


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="CPython 3.13+ builds ASTs thread-safely")
def test_a_parse_on_another_thread_waits_for_the_lock() -> None:
    threadsafe_ast.install()
    done = threading.Event()

    def work() -> None:
        ast.literal_eval("[1, 2, 3]")  # goes through ast.parse
        done.set()

    with threadsafe_ast._LOCK:  # as if this thread were inside ast.parse
        worker = threading.Thread(target=work)
        worker.start()
        assert not done.wait(0.3), "the other thread parsed while the lock was held"
    assert done.wait(10)
    worker.join()


def test_the_cli_installs_it_before_running_a_command() -> None:
    code = ("import ast, sys; sys.argv = ['claimledger', '--help']\n"
            "from flows import cli\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "print(getattr(ast.parse, '__claimledger_serialized__', False))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = "False" if sys.version_info >= (3, 13) else "True"
    assert result.stdout.strip().splitlines()[-1] == expected


# Three threads parse while a fourth makes cyclic garbage whose finalizers yield the GIL inside a GC
# pass: on CPython 3.11 (3.11.7 here) this reproduces "AST constructor recursion depth mismatch"
# within seconds; with the lock installed it must not happen.
_RACE = r"""
import ast, sys, threading, time
if sys.argv[1] == "lock":
    from flows import threadsafe_ast
    threadsafe_ast.install()
sys.setswitchinterval(1e-6)
class Cycle:
    def __init__(self): self.me = self
    def __del__(self): time.sleep(0)
source = "\n".join(f"def f{i}(a, b=[1, 2, {{'k': (3, 4)}}]):\n    return [x for x in range({i}) if x % 2]"
                   for i in range(200))
errors = []
def churn():
    end = time.time() + float(sys.argv[2])
    while time.time() < end:
        for _ in range(50):
            Cycle()
        time.sleep(0.001)
def parse():
    end = time.time() + float(sys.argv[2])
    while time.time() < end:
        try:
            ast.parse(source)
        except SystemError as exc:
            errors.append(exc)
            return
threads = [threading.Thread(target=parse) for _ in range(3)] + [threading.Thread(target=churn)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(errors))
"""


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="CPython 3.13+ builds ASTs thread-safely")
def test_the_lock_prevents_the_cpython_race_this_machine_reproduces() -> None:
    def run(mode: str) -> int:
        result = subprocess.run([sys.executable, "-c", _RACE, mode, "4"], capture_output=True, text=True,
                                timeout=120, check=True)
        return int(result.stdout.split()[-1])

    if run("plain") == 0:
        pytest.skip("the CPython AST race did not reproduce on this machine in 4 s")
    assert run("lock") == 0

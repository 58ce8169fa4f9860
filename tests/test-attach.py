#!/usr/bin/env python3
"""Attaching to a running SBCL (lisp/agent/listen.lisp): a real sbcl started as an ordinary
program that loads the agent, listens and works in a loop; the CLI and raw sockets attach to it.
TAP output."""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

CLI = os.environ["SP_CLI"]
LISP = os.environ["SP_LISP_DIR"]
tmp = tempfile.mkdtemp()
os.environ["XDG_RUNTIME_DIR"] = tmp   # a private place to listen, whatever else runs
results = []

PROGRAM = """
(load "%s/agent/boot.lisp")
(setf sbcl-profiler-agent::*max-line-length* (* 1024 1024))
(format t "LISTENING ~S~%%" (multiple-value-list (sbcl-profiler-agent:listen %s)))
(finish-output)
(defun work-step (n) (let ((s 0)) (dotimes (i n s) (incf s (mod (* i i) 7)))))
(defvar *steps* 0)
(loop (work-step 200000) (incf *steps*) (sleep 0.001))
"""


def start_program(listen_args=""):
    path = os.path.join(tmp, "program.lisp")
    with open(path, "w") as out:
        out.write(PROGRAM % (LISP, listen_args))
    proc = subprocess.Popen(["sbcl", "--noinform", "--disable-debugger", "--no-sysinit",
                             "--no-userinit", "--load", path],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        if line.startswith("LISTENING") or "SBCL Profiler: listening" in line:
            if line.startswith("LISTENING"):
                return proc, line
    raise RuntimeError("the program did not start listening")


class Peer:
    """A raw protocol client."""

    def __init__(self, address, family=socket.AF_UNIX, first_line=None):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(20)
        self.sock.connect(address)
        self.file = self.sock.makefile("rw", encoding="utf-8")
        if first_line is not None:
            self.send_raw(first_line + "\n")
        self.next_id = 1

    def send_raw(self, text):
        self.file.write(text)
        self.file.flush()

    def read(self):
        line = self.file.readline()
        return json.loads(line) if line else None

    def request(self, op, **args):
        rid = self.next_id
        self.next_id += 1
        self.send_raw(json.dumps(dict(id=rid, op=op, **args)) + "\n")
        while True:
            message = self.read()
            if message is None or message.get("id") == rid:
                return message

    def close(self):
        self.file.close()   # the file holds the socket open too
        self.sock.close()


def check(name, function):
    try:
        function()
        results.append((True, name, ""))
    except Exception as error:  # noqa: BLE001 - every failure is a failed case
        results.append((False, name, repr(error)))


def socket_path(proc):
    return os.path.join(tmp, "sbcl-profiler", "%d.sock" % proc.pid)


def attach(proc):
    """A connection that got its hello; the previous peer's clean-up may still be running."""
    for _ in range(50):
        peer = Peer(socket_path(proc))
        message = peer.read()
        if message and message["event"] == "hello":
            return peer
        peer.close()
        time.sleep(0.1)
    raise AssertionError("the image never said hello again")


def instrumented_state(proc):
    """What is switched on in the image, asked through a fresh connection."""
    peer = attach(proc)
    reply = peer.request("eval", form="(list (hash-table-count sb-profile::*profiled-fun-name->info*)"
                                      " sb-sprof::*profiling*)")
    peer.request("detach")
    peer.close()
    return reply["result"]["values"][0]


proc, _ = start_program()


def test_listing():
    out = subprocess.run([CLI, "list"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^%d\s" % proc.pid, out, re.M), out
    mode = os.stat(os.path.join(tmp, "sbcl-profiler")).st_mode & 0o777
    assert mode == 0o700, oct(mode)
    assert os.stat(socket_path(proc)).st_mode & 0o777 == 0o600


def test_record_from_cli():
    out = os.path.join(tmp, "attached.sbclprof")
    subprocess.run([CLI, "record", "--attach", str(proc.pid), "--duration", "1.5", "-o", out],
                   check=True, capture_output=True, text=True)
    report = subprocess.run([CLI, "report", out, "--format", "json"], check=True,
                            capture_output=True, text=True).stdout
    names = [row["name"] for row in json.loads(report)["rows"]]
    assert "COMMON-LISP-USER::WORK-STEP" in names, names
    assert not any("SBCL-PROFILER-AGENT" in name for name in names), names
    assert proc.poll() is None, "the program stopped"
    assert instrumented_state(proc) == "(0 NIL)"


def test_dropped_connection_uninstruments():
    peer = attach(proc)
    reply = peer.request("start-recording", mode="deterministic",
                         names=["COMMON-LISP-USER::WORK-STEP"])
    assert reply["ok"], reply
    peer.close()   # as if the app crashed mid-recording
    time.sleep(0.5)
    assert proc.poll() is None
    assert instrumented_state(proc) == "(0 NIL)"


def test_other_user_refused():
    if os.getuid() != 0 or shutil.which("setpriv") is None:
        return   # only root can become another user here
    script = ("import socket,sys\ns=socket.socket(socket.AF_UNIX)\n"
              "try:\n s.connect(sys.argv[1]); d=s.recv(4096); print('GOT', d)\n"
              "except OSError as e: print('REFUSED', e)\n")
    out = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                          sys.executable, "-c", script, socket_path(proc)],
                         capture_output=True, text=True).stdout
    assert out.startswith("REFUSED") or "refused" in out, out
    assert proc.poll() is None


def test_garbage_leaves_image_running():
    peer = attach(proc)
    peer.send_raw("this is not json\n")
    assert peer.read()["event"] == "protocol-error"
    peer.send_raw("[1,2,3]\n{\"id\": \"x\"}\n")
    assert peer.read()["event"] == "protocol-error"
    try:
        peer.send_raw("x" * (2 * 1024 * 1024) + "\n")   # over the image's line limit
    except (BrokenPipeError, ConnectionResetError):
        pass   # the image hung up on it, as it should
    peer.close()
    half = attach(proc)
    half.send_raw("{\"id\": 1, \"op\": \"ev")   # a half-sent line, then the peer vanishes
    half.close()
    time.sleep(0.5)
    assert proc.poll() is None
    assert instrumented_state(proc) == "(0 NIL)"


def test_second_client_refused():
    first = attach(proc)
    second = Peer(socket_path(proc))
    message = second.read()
    assert message["event"] == "refused", message
    second.close()
    first.request("detach")
    first.close()


def test_tcp_token():
    tcp, line = start_program(":tcp t")
    try:
        port, token = re.search(r"\((\d+) \"([0-9a-f]+)\"\)", line).groups()
        wrong = Peer(("127.0.0.1", int(port)), socket.AF_INET,
                     json.dumps({"op": "auth", "token": "0" * 32}))
        answer = wrong.read()
        assert answer is None, "a wrong token was let in: %r" % (answer,)
        wrong.close()
        right = Peer(("127.0.0.1", int(port)), socket.AF_INET,
                     json.dumps({"op": "auth", "token": token}))
        hello = right.read()
        assert hello and hello["event"] == "hello", hello
        right.request("detach")
        right.close()
        assert tcp.poll() is None
    finally:
        tcp.kill()
        tcp.wait()


SWANK_LOADER = "/usr/share/common-lisp/source/slime/swank-loader.lisp"
SWANK_PROGRAM = """
(load "%s")
(let ((*standard-output* (make-broadcast-stream))) (swank-loader:init))
(defun work-step (n) (let ((s 0)) (dotimes (i n s) (incf s (mod (* i i) 7)))))
(sb-thread:make-thread (lambda () (loop (work-step 200000) (sleep 0.001))) :name "server work")
(format t "SWANK-PORT ~D~%%" (swank:create-server :port 0 :dont-close t))
(finish-output)
(loop (sleep 1))
"""


def test_swank():
    if not os.path.exists(SWANK_LOADER):
        raise AssertionError("cl-swank is not installed (./dev.sh installs it)")
    path = os.path.join(tmp, "swank-program.lisp")
    with open(path, "w") as out:
        out.write(SWANK_PROGRAM % SWANK_LOADER)
    server = subprocess.Popen(["sbcl", "--noinform", "--disable-debugger", "--no-sysinit",
                               "--no-userinit", "--load", path],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        for line in server.stdout:
            match = re.match(r"SWANK-PORT (\d+)", line)
            if match:
                port = match.group(1)
                break
        assert port, "Swank did not start"
        out = os.path.join(tmp, "swank.sbclprof")
        subprocess.run([CLI, "record", "--swank", "127.0.0.1:" + port, "--duration", "1.5",
                        "-o", out], check=True, capture_output=True, text=True, timeout=150)
        report = subprocess.run([CLI, "report", out, "--format", "json"], check=True,
                                capture_output=True, text=True).stdout
        names = [row["name"] for row in json.loads(report)["rows"]]
        assert "COMMON-LISP-USER::WORK-STEP" in names, names
        assert not any("SWANK" in name and "SERVE" in name for name in names[:3]), names
        assert server.poll() is None, "the program stopped"
    finally:
        server.kill()
        server.wait()


for name, function in [("through a real Swank server", test_swank),("list shows the image; private socket", test_listing),
                       ("record --attach, detach, nothing instrumented", test_record_from_cli),
                       ("a dropped connection uninstruments", test_dropped_connection_uninstruments),
                       ("another user is refused", test_other_user_refused),
                       ("garbage leaves the image running", test_garbage_leaves_image_running),
                       ("a second client is refused", test_second_client_refused),
                       ("TCP needs the token", test_tcp_token)]:
    check(name, function)

proc.kill()
proc.wait()
shutil.rmtree(tmp, ignore_errors=True)
for i, (ok, name, why) in enumerate(results, 1):
    print("%s %d %s" % ("ok" if ok else "not ok", i, name))
    if why:
        print("# " + why)
print("1..%d" % len(results))
sys.exit(0 if all(ok for ok, _, _ in results) else 1)

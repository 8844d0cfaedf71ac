"""The LibreOffice side of a pool worker: run by the Python that has LibreOffice's `uno` module.

Not imported by reportgen: `pool.py` starts it as a script (`python3 bridge.py SOFFICE PROFILE PIPE LOG
TIMEOUT`) under Debian's /usr/bin/python3 (python3-uno), so it uses only the standard library and uno.
It starts soffice in its own process group, answers one JSON line per JSON request on stdin, and
terminates soffice when stdin closes (our process went away). A watchdog thread kills the whole
group (this bridge, soffice and its helpers) the moment reportgen dies, even by SIGKILL and even
while LibreOffice is starting or converting, when stdin is not being read.
"""
# mypy: ignore-errors
import json, os, signal, subprocess, sys, threading, time
try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
except ImportError as exc:  # not LibreOffice's Python: the pool tries another (libreoffice.uno_python)
    sys.stdout.write(json.dumps({"ok": False, "no_uno": True, "error": str(exc)}) + "\n")
    sys.exit(1)

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

def reply(**kw):
    sys.stdout.write(json.dumps(kw) + "\n")
    sys.stdout.flush()

def adopt_orphans(office):
    """Reap LibreOffice's orphans (gpg helpers it double-forks) here, where init may not."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        return
    def reap():
        while True:
            time.sleep(0.5)
            reap_now(office)
    threading.Thread(target=reap, daemon=True).start()

def reap_now(office):
    while True:
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if info is None or info.si_pid == office.pid:
            return  # office is reaped by Popen.wait, never here
        try:
            os.waitpid(info.si_pid, 0)
        except ChildProcessError:
            pass

def die_with_parent():
    """SIGKILL this process group when reportgen goes (we are reparented: getppid() changes).

    Not PR_SET_PDEATHSIG on this bridge: reportgen starts workers from threads, and the signal
    fires when the starting *thread* exits, not the process.
    """
    # reportgen's pid comes from its environment: it may be gone before this interpreter even starts.
    parent = int(os.environ.get("REPORTGEN_PARENT_PID") or os.getppid())
    def watch():
        while os.getppid() == parent:
            time.sleep(0.1)
        os.killpg(0, signal.SIGKILL)
    threading.Thread(target=watch, daemon=True).start()

def parent_death_signal():
    """In soffice's child, before exec: die when this bridge dies (PR_SET_PDEATHSIG = 1)."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)
    except Exception:
        pass

def main():
    soffice, profile, pipe, log_path, timeout = sys.argv[1:6]
    die_with_parent()
    with open(log_path, "ab") as log:
        office = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
             "--nofirststartwizard", "--norestore", "--nolockcheck", "-env:UserInstallation=" + profile,
             "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=parent_death_signal)
    adopt_orphans(office)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + float(timeout)
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                reply(ok=False, fatal=True, error="LibreOffice did not start (exit %s)" % office.poll())
                office.kill()
                return
            time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    reply(ok=True, ready=True, pid=office.pid)
    try:
        for line in sys.stdin:
            req = json.loads(line)
            if req.get("op") == "quit":
                break
            try:
                convert(desktop, req)
                reply(ok=True)
            except Exception as exc:
                msg = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
                # A disposed bridge or a dead office means this worker is finished.
                fatal = office.poll() is not None or "Disposed" in type(exc).__name__ or "disposed" in msg
                reply(ok=False, fatal=fatal, error="%s: %s" % (type(exc).__name__, msg))
                if fatal:
                    break
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(10)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        reap_now(office)

def convert(desktop, req):
    url = uno.systemPathToFileUrl(req["docx"])
    load = (prop("Hidden", True), prop("ReadOnly", True), prop("MacroExecutionMode", 0))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, load)
    if doc is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        if hasattr(doc, "getRedlines") and doc.getRedlines().createEnumeration().hasMoreElements():
            raise RuntimeError("the document has tracked changes; accept or reject them before publishing")
        data = tuple(prop(k, v) for k, v in req["filter"].items())
        store = (prop("FilterName", "writer_pdf_Export"), prop("Overwrite", True),
                 prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)))
        doc.storeToURL(uno.systemPathToFileUrl(req["pdf"]), store)
    finally:
        doc.close(True)


if __name__ == "__main__":
    main()

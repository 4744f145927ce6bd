"""Keep `mkdocs serve` watching the tips folder after it is removed and put back.

MkDocs watches a folder with watchdog's polling observer.  When the folder
disappears (`git stash`, a branch switch, `mv tips /tmp; mv /tmp/tips .`), its
watcher reports a deleted *directory*, which MkDocs ignores, and stops for good:
the restored folder is never watched again and serve shows stale tips until it
is restarted.

`FolderGuard` looks at the folder twice a second (one `stat`).  When it
disappears or comes back, the guard renews MkDocs' watch on it (public
`watch`/`unwatch`) and asks for a rebuild the only public way there is: by
changing a file in a folder the server watches, `.cache/tipweek/serve/`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from typing import Any

#: The folder under .cache/tipweek/ whose file the guard changes to ask for a rebuild.
SIGNAL_DIR = "serve"
#: How often the guard looks at the folder, in seconds.
INTERVAL = 0.5


class FolderGuard:
    def __init__(self, server: Any, folder: Path, signal_dir: Path) -> None:
        self.server = server
        self.folder = folder
        self.signal_dir = signal_dir
        self.present = folder.is_dir()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tipweek-folder-guard", daemon=True)

    def start(self) -> None:
        """Watch the folder (if there) and the signal folder, then start looking."""
        self.signal_dir.mkdir(parents=True, exist_ok=True)
        self.server.watch(str(self.signal_dir))
        if self.present:
            self.server.watch(str(self.folder))
        self._thread.start()

    def stop(self) -> None:
        """Stop looking; returns once the thread has ended (a test process forks after it)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2 * INTERVAL + 1)

    def _run(self) -> None:
        while not self._stop.wait(INTERVAL):
            self.check()

    def check(self) -> bool:
        """Renew the watch and ask for a rebuild if the folder came or went; True if so."""
        present = self.folder.is_dir()
        if present == self.present:
            return False
        if self.present:
            # The old watcher is dead (or watching a folder that is gone): drop it.
            with contextlib.suppress(KeyError, ValueError, RuntimeError):
                self.server.unwatch(str(self.folder))
        if present:
            self.server.watch(str(self.folder))
        self.present = present
        self._ask_for_rebuild()
        return True

    def _ask_for_rebuild(self) -> None:
        with contextlib.suppress(OSError):
            self.signal_dir.mkdir(parents=True, exist_ok=True)
            (self.signal_dir / "changed").write_text(f"{time.time()}\n", encoding="ascii")

"""What the operating system provides, asked in one place.

The rest of tipweek never asks which system it runs on; it asks this package:

- `folders.exchange`: swap two folders whole (Linux `renameat2`, macOS
  `renamex_np`, elsewhere three renames, Windows included);
- `build_lock.BuildLock`: one build of a project at a time (the `filelock`
  library: `flock` on Linux and macOS, `LockFileEx` on Windows);
- `processes`: whether forked workers are possible, how many cores to use,
  workers that end with their build, `SIGTERM` ending a preview like Ctrl-C.

Each has a fallback that the tests run on Linux by simulating the others'
absence (tests/test_platforms.py).  No MkDocs here, and no other tipweek layer.
"""

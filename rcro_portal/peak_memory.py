"""The peak resident memory of this process, for the benchmark.

The peak that ``wait4`` reports for a child on Linux includes what its parent had resident when it
was started (the kernel keeps the high-water mark across ``exec``), so a child of a large process
would report the parent's size. The child reads its own high-water mark instead (``VmHWM``).
"""

import resource
from pathlib import Path

STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    """The high-water mark of this process's resident memory, in megabytes."""
    try:
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kilobytes
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux

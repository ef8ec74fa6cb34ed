"""What every stage uses: diagnostics and reports, limits, characters and portable names,
numbers and money, reading files safely, parsing untrusted bytes in a bounded child process,
frozen records, progress and parallel executors.

Imports nothing of builder but the version in builder/__init__.py; every other package may
import it.
"""

"""`python -m audit`: the command line (audit.cli)."""

import sys

from audit.cli import main

sys.exit(main())

"""`python -m analytics`: see analytics.cli."""

import sys

from analytics.cli.main import main

sys.exit(main())

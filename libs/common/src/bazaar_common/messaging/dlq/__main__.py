"""``python -m bazaar_common.messaging.dlq``: the command line in ``cli``."""

import sys

from bazaar_common.messaging.dlq.cli import main

sys.exit(main())

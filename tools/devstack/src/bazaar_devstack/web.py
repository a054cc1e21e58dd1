"""The browser app in the local stacks: where it is built, and its local /config.json.

``make web`` builds ``web/dist`` (npm); ``make run`` and the browser tests'
stack serve it at the gateway with a config that signs in with a name and
password against the local Cognito (the gateway passes that one call to
moto). In AWS, Terraform writes a config for Cognito's hosted UI instead;
the bundle is the same.
"""

from __future__ import annotations

import json
from pathlib import Path

from bazaar_devstack.cognito import Identity
from bazaar_devstack.gateway.web_app import LOCAL_COGNITO_PATH


def built_app(root: Path) -> Path:
    """``web/dist`` of the checkout; refused, with the command, when it was never built."""
    dist = root / "web" / "dist"
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist} has no index.html: run make web")
    return dist


def local_config(identity: Identity) -> dict[str, object]:
    return {
        "auth": {
            "kind": "local-password",
            "endpoint": LOCAL_COGNITO_PATH,
            "clientId": identity.client_id,
        }
    }


def gateway_arguments(root: Path, run_dir: Path, identity: Identity, cognito_url: str) -> list[str]:
    """The gateway's flags to serve the app, with its config written into ``run_dir``."""
    run_dir.mkdir(parents=True, exist_ok=True)
    config = run_dir / "config.json"
    config.write_text(json.dumps(local_config(identity), indent=2) + "\n")
    return [
        f"--web-root={built_app(root)}",
        f"--web-config={config}",
        f"--local-cognito={cognito_url}",
    ]

"""The ALB, locally: nginx routes by listener rules, Python health-checks targets.

nginx is the data plane (it proxies every request; a Python proxy measured
far too slow). This package is the control plane: it renders nginx's
configuration from routes (:mod:`.routes`: from the service catalog, or from
a routes file read back from the AWS API) and each target's health, starts
nginx as a child process and reloads it when a target's health changes. It
also limits each client address as the WAF in front of the ALB does
(:mod:`.rate_limit`).
"""

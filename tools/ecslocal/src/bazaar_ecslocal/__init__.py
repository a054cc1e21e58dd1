"""Run the platform as Terraform rendered it, read back from moto, on the local Docker engine."""

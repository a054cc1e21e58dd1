terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
  # State stays on this machine: the emulator it describes forgets
  # everything when it stops.
}

variable "aws_endpoint_url" {
  description = "The AWS emulator (a moto server) every call goes to, e.g. http://127.0.0.1:5000."
  type        = string

  validation {
    condition     = can(regex("^http://(127\\.0\\.0\\.1|localhost|\\[::1\\]|moto)(:[0-9]+)?/?$", var.aws_endpoint_url))
    error_message = "envs/local talks only to an emulator on loopback (or compose's moto), never to AWS."
  }
}

variable "region" {
  description = "The region the emulator answers for (the services' AWS_REGION)."
  type        = string
  default     = "eu-west-1"
}

variable "resource_prefix" {
  description = "The services' RESOURCE_PREFIX: the bus name and the start of every queue and rule name."
  type        = string
  default     = "bazaar"
}

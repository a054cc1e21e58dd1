variable "moto_url" {
  description = "The moto server Terraform talks to, from this machine (e.g. http://127.0.0.1:5000)."
  type        = string

  validation {
    condition     = can(regex("^http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?/?$", var.moto_url))
    error_message = "envs/moto talks only to an emulator on loopback, never to AWS."
  }
}

variable "tasks_moto_url" {
  description = "The same moto server as the tasks reach it (on the runner's Docker network, e.g. http://moto:5000): the services' AWS_ENDPOINT_URL."
  type        = string

  validation {
    condition     = can(regex("^http://[a-z0-9.-]+(:[0-9]+)?$", var.tasks_moto_url))
    error_message = "tasks_moto_url must be http://<host>[:<port>]."
  }
}

variable "region" {
  description = "The region the emulator answers for."
  type        = string
  default     = "eu-west-1"
}

variable "image_tag" {
  description = "The tag of every service's image (the local builds are tagged <ECR repository URL>:<tag> by the runner)."
  type        = string
  default     = "local"
}

variable "min_tasks_per_service" {
  description = "Tasks per service, as prod runs them (2): the runner starts that many containers of each."
  type        = number
  default     = 2
}

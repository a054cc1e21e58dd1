variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): the bucket is <name>-web-<account id>, the function <name>-spa-rewrite, the headers policy <name>-web-security-headers."
  type        = string

  validation {
    # "<name>-web-<account id>": 46 + 5 + 12 fills S3's 63.
    condition     = length(var.name) >= 2 && length(var.name) <= 46 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name))
    error_message = "name must be 2-46 characters of a-z, 0-9 and single '-' between them, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource that takes tags (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "api_origin_domain_name" {
  description = "The host name CloudFront sends the API's requests to, over HTTPS: a name the load balancer's certificate is for (the platform's api_domain_name), since CloudFront checks the origin's certificate against it. The load balancer's own DNS name only works with a certificate for that name."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.api_origin_domain_name))
    error_message = "api_origin_domain_name must be a lower-case DNS name such as api.dev.example.com."
  }
}

variable "api_path_patterns" {
  description = "CloudFront path patterns of the API, one behaviour each to the load balancer, uncached (e.g. [\"/orders*\", \"/inventory*\"]; the platform gives one per catalog service, from its path_prefix). Every other path is the app's."
  type        = list(string)

  validation {
    # CloudFront's default quota: 25 cache behaviours per distribution.
    condition     = length(var.api_path_patterns) >= 1 && length(var.api_path_patterns) <= 24 && length(distinct(var.api_path_patterns)) == length(var.api_path_patterns)
    error_message = "api_path_patterns must hold 1-24 distinct patterns (CloudFront allows 25 cache behaviours by default, the app's among them)."
  }

  validation {
    condition     = alltrue([for pattern in var.api_path_patterns : can(regex("^/[A-Za-z0-9_./*-]+$", pattern)) && pattern != "/*"])
    error_message = "Each api_path_pattern must start with '/', hold only A-Z, a-z, 0-9, '_', '-', '.', '/' and '*', and not be \"/*\" (that is the app's)."
  }
}

variable "cognito_domain_url" {
  description = "The Cognito hosted UI's domain, https://<prefix>.auth.<region>.amazoncognito.com (or a custom domain), no trailing slash: the content security policy lets the app fetch its /oauth2/token and send forms to it."
  type        = string

  validation {
    condition     = can(regex("^https://([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.cognito_domain_url))
    error_message = "cognito_domain_url must be https://<host>, with no path and no trailing slash."
  }
}

variable "app_config" {
  description = <<-EOT
    The app's runtime configuration, written as /config.json (jsonencode). The platform gives
    { auth = { kind = "cognito-hosted-ui", authority = "https://<domain>.auth.<region>.amazoncognito.com",
    clientId = "<browser client id>", redirectPath = "/auth/callback", scopes = [...] } }.
    Nothing secret: every browser reads it.
  EOT
  type        = any

  validation {
    condition     = can(keys(var.app_config))
    error_message = "app_config must be an object (config.json is a JSON object)."
  }
}

variable "aliases" {
  description = "Host names the distribution answers to besides its *.cloudfront.net name (e.g. [\"shop.example.com\"]), covered by acm_certificate_arn; the first is the app's URL. Empty: the *.cloudfront.net name and CloudFront's certificate."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for alias in var.aliases : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", alias))])
    error_message = "aliases must be lower-case DNS names such as shop.example.com."
  }
}

variable "acm_certificate_arn" {
  description = "An ACM certificate in us-east-1 (CloudFront takes certificates from there only) for every alias; TLS 1.2 (TLSv1.2_2021) is then the viewers' minimum. Null: CloudFront's *.cloudfront.net certificate."
  type        = string
  default     = null

  validation {
    condition     = var.acm_certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/.+$", coalesce(var.acm_certificate_arn, "x")))
    error_message = "acm_certificate_arn must be an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>)."
  }

  validation {
    # CloudFront refuses aliases without a certificate that covers them.
    condition     = length(var.aliases) == 0 || var.acm_certificate_arn != null
    error_message = "aliases need acm_certificate_arn, a certificate that covers them."
  }
}

variable "price_class" {
  description = "The edge locations that serve the app: PriceClass_100 (North America, Europe, Israel: the cheapest), PriceClass_200 (and most of Asia, Africa, the Middle East) or PriceClass_All."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "web_acl_arn" {
  description = "A WAFv2 web ACL of scope CLOUDFRONT (made in us-east-1) in front of the whole distribution. Null: none here; the API's paths still pass the load balancer's regional web ACL."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/.+$", coalesce(var.web_acl_arn, "x")))
    error_message = "web_acl_arn must be a CLOUDFRONT-scope WAFv2 web ACL ARN (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)."
  }
}

variable "access_logs_bucket" {
  description = "Name of an existing bucket that receives the distribution's standard logs (under cloudfront/<name>-web/); CloudFront writes them with an ACL, so it needs ACLs enabled (ObjectWriter). Null: no standard logs."
  type        = string
  default     = null

  validation {
    condition     = var.access_logs_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.access_logs_bucket, "x")))
    error_message = "access_logs_bucket must be an S3 bucket name (3-63 characters of a-z, 0-9, '.' and '-')."
  }
}

variable "hsts_max_age_seconds" {
  description = "Strict-Transport-Security max-age. HSTS preload lists want a year at least; two years is their recommendation."
  type        = number
  default     = 63072000

  validation {
    condition     = var.hsts_max_age_seconds >= 31536000 && floor(var.hsts_max_age_seconds) == var.hsts_max_age_seconds
    error_message = "hsts_max_age_seconds must be a whole number of at least 31536000 (a year: HSTS preload's minimum)."
  }
}

variable "api_read_timeout_seconds" {
  description = "Seconds CloudFront waits for the load balancer's answer (4-60 without a quota increase)."
  type        = number
  default     = 30

  validation {
    condition     = var.api_read_timeout_seconds >= 4 && var.api_read_timeout_seconds <= 60 && floor(var.api_read_timeout_seconds) == var.api_read_timeout_seconds
    error_message = "api_read_timeout_seconds must be a whole number from 4 to 60."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a file a release overwrote or deleted is kept as a noncurrent version (an operator can put it back meanwhile)."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of 1 or more."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` empty and delete the bucket (disposable environments only). The files are the build's: nothing is lost that a release cannot put back."
  type        = bool
  default     = false
}

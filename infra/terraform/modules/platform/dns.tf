# The API's host name, pointed at the load balancer: an alias record in the
# environment's Route 53 zone, so the first release's smoke test reaches the
# ALB by the name its certificate is for, with nothing done by hand. Without
# a zone (api_domain_name null) point the name at alb_dns_name yourself.

resource "aws_route53_record" "api" {
  count = var.api_domain_name == null ? 0 : 1

  zone_id = var.route53_zone_id
  name    = var.api_domain_name
  type    = "A"

  alias {
    name                   = module.alb.alb_dns_name
    zone_id                = module.alb.alb_zone_id
    evaluate_target_health = true
  }
}

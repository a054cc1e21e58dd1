# The public entry point: one internet-facing ALB, TLS terminated here, one
# listener rule per catalog service forwarding to that service's tasks.

locals {
  # AWS's TLS 1.3 + 1.2 policy: no TLS 1.0/1.1, forward-secret ciphers only.
  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  # RFC 9457 problem details, the same shape the services answer with, so a
  # client sees one error format whether or not a route matched. The content
  # type cannot be application/problem+json: see the HTTPS listener.
  not_found_body = jsonencode({
    type   = "about:blank"
    title  = "Not Found"
    status = 404
    detail = "No route matches this path."
  })

  # Target group names allow 32 characters; longer ones keep a hash suffix so
  # they stay unique.
  target_group_names = {
    for key in keys(var.services) : key => (
      length("${var.name}-${key}") <= 32
      ? "${var.name}-${key}"
      : "${substr("${var.name}-${key}", 0, 25)}-${substr(md5("${var.name}-${key}"), 0, 6)}"
    )
  }

  service_ports = toset([for svc in values(var.services) : tostring(svc.port)])
  listener_ports = {
    http  = 80
    https = 443
  }
  ingress = {
    for pair in setproduct(keys(local.listener_ports), var.ingress_cidrs) :
    "${pair[0]}-${pair[1]}" => { port = local.listener_ports[pair[0]], cidr = pair[1] }
  }
}

# An internet-facing load balancer is the point of this module.
#trivy:ignore:AVD-AWS-0053
resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_76:Log4JRCE is in the applied KnownBadInputs set; the check also demands AWSManagedRulesAnonymousIpList, which would block customers on VPNs.
  name               = "${var.name}-alb"
  load_balancer_type = "application"
  internal           = false
  subnets            = var.public_subnet_ids
  security_groups    = [aws_security_group.alb.id]

  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = var.idle_timeout

  access_logs {
    bucket  = aws_s3_bucket.access_logs.id
    prefix  = "alb"
    enabled = true
  }

  tags = merge(var.tags, { Name = "${var.name}-alb" })

  # The ALB checks at creation that it may write to the bucket.
  depends_on = [aws_s3_bucket_policy.access_logs]
}

resource "aws_security_group" "alb" {
  # A prefix, so create_before_destroy can make the new group before the old one goes.
  name_prefix = "${var.name}-alb-"
  description = "The ${var.name} load balancer: HTTPS/HTTP in from the internet, the services' ports out to the VPC."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = local.ingress

  security_group_id = aws_security_group.alb.id
  description       = "${upper(split("-", each.key)[0])} from ${each.value.cidr}"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "alb" {
  for_each = local.service_ports

  security_group_id = aws_security_group.alb.id
  description       = "To the tasks on port ${each.value}"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = var.vpc_cidr

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = local.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type = "fixed-response"

    fixed_response {
      status_code = "404"
      # The ALB API accepts only text/plain, text/css, text/html,
      # application/javascript and application/json here; the body is still
      # an RFC 9457 problem document.
      content_type = "application/json"
      message_body = local.not_found_body
    }
  }

  tags = var.tags
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

resource "aws_lb_target_group" "service" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; tasks in private subnets take plain HTTP from its security group only.
  for_each = var.services

  name                 = local.target_group_names[each.key]
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = each.value.port
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = each.value.health_path
    matcher             = "200"
    interval            = var.health_check_interval_seconds
    timeout             = var.health_check_timeout_seconds
    healthy_threshold   = var.healthy_threshold
    unhealthy_threshold = var.unhealthy_threshold
  }

  tags = merge(var.tags, { Name = local.target_group_names[each.key], Service = each.key })
}

resource "aws_lb_listener_rule" "service" {
  for_each = var.services

  listener_arn = aws_lb_listener.https.arn
  priority     = each.value.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service[each.key].arn
  }

  condition {
    path_pattern {
      values = each.value.path_patterns
    }
  }

  tags = merge(var.tags, { Service = each.key })
}

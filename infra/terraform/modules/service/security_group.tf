# The tasks' security group: the task port from the ALB (and any extra
# sources), out only to HTTPS and the database.
resource "aws_security_group" "this" {
  name        = local.full_name
  description = "ECS tasks of ${local.full_name}"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = local.full_name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  security_group_id            = aws_security_group.this.id
  description                  = "${var.service.name} port from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.service.port
  to_port                      = var.service.port
  referenced_security_group_id = var.alb_security_group_id

  tags = var.tags
}

# count, not for_each: the ids are usually unknown until apply.
resource "aws_vpc_security_group_ingress_rule" "extra" {
  count = length(var.extra_ingress_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "${var.service.name} port from an allowed peer"
  ip_protocol                  = "tcp"
  from_port                    = var.service.port
  to_port                      = var.service.port
  referenced_security_group_id = var.extra_ingress_security_group_ids[count.index]

  tags = var.tags
}

# AWS APIs (SQS, EventBridge, X-Ray, CloudWatch, ECR, Secrets Manager) and
# the IdP's JWKS URL, through the NAT gateway or VPC endpoints.
#trivy:ignore:AVD-AWS-0104 HTTPS egress to AWS public endpoints is required without VPC endpoints; egress_https_cidr_blocks narrows it.
resource "aws_vpc_security_group_egress_rule" "https" {
  count = length(var.egress_https_cidr_blocks)

  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs and the token issuer"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.egress_https_cidr_blocks[count.index]

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "database" {
  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL (DATABASE_URL)"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = var.database_security_group_id

  tags = var.tags
}

# Rules between the services' security groups and the database's, and
# between services. They live here, not in the modules: a for_each module
# cannot reference its own instances (orders -> inventory), and the database
# module's rules are count-indexed (a new service would renumber them) where
# these are keyed by service name. (Passing the services' groups into the
# database module would not be a cycle: Terraform orders module inputs and
# outputs one by one, and both forms plan.)

resource "aws_vpc_security_group_ingress_rule" "database" {
  for_each = local.services

  security_group_id            = module.database.security_group_id
  description                  = "PostgreSQL from ${each.key}'s tasks"
  ip_protocol                  = "tcp"
  from_port                    = module.database.port
  to_port                      = module.database.port
  referenced_security_group_id = module.service[each.key].security_group_id

  tags = merge(var.tags, { Service = each.key })
}

# The callee's port (from the catalog) in from the caller's tasks, and out
# from the caller's tasks, whose group otherwise allows only HTTPS and the
# database.
resource "aws_vpc_security_group_ingress_rule" "call" {
  for_each = local.calls

  security_group_id            = module.service[each.value.to].security_group_id
  description                  = "${each.value.to} port from ${each.value.from}'s tasks"
  ip_protocol                  = "tcp"
  from_port                    = local.services[each.value.to].port
  to_port                      = local.services[each.value.to].port
  referenced_security_group_id = module.service[each.value.from].security_group_id

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "call" {
  for_each = local.calls

  security_group_id            = module.service[each.value.from].security_group_id
  description                  = "${each.value.from} to ${each.value.to}'s port"
  ip_protocol                  = "tcp"
  from_port                    = local.services[each.value.to].port
  to_port                      = local.services[each.value.to].port
  referenced_security_group_id = module.service[each.value.to].security_group_id

  tags = var.tags
}

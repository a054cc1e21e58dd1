output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "The load balancer's ARN suffix, the LoadBalancer dimension of its CloudWatch metrics (and of ALBRequestCountPerTarget scaling)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (the target of the public alias record)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route 53 hosted zone ID of the load balancer, for an alias record."
  value       = aws_lb.this.zone_id
}

output "alb_security_group_id" {
  description = "The load balancer's security group: the tasks' security groups allow their port from it."
  value       = aws_security_group.alb.id
}

output "https_listener_arn" {
  description = "ARN of the HTTPS (443) listener the service rules hang off."
  value       = aws_lb_listener.https.arn
}

output "target_group_arns" {
  description = "Target group ARN by service name, for each ECS service's load_balancer block."
  value       = { for key, tg in aws_lb_target_group.service : key => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffix by service name (the TargetGroup dimension of CloudWatch metrics and ALBRequestCountPerTarget)."
  value       = { for key, tg in aws_lb_target_group.service : key => tg.arn_suffix }
}

output "access_logs_bucket" {
  description = "Name of the S3 bucket the access logs are written to (under the prefix alb/)."
  value       = aws_s3_bucket.access_logs.id
}

output "web_acl_arn" {
  description = "ARN of the WAFv2 web ACL on the load balancer; null when enable_waf is false."
  value       = one(aws_wafv2_web_acl.this[*].arn)
}

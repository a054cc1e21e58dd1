output "repository_urls" {
  description = "Repository URL by service: the release pushes or promotes <url>:<tag> here."
  value       = module.ecr.repository_urls
}

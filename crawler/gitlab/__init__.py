"""The GitLab forge kind: GraphQL listings with publiccode blobs inline, REST fallbacks."""

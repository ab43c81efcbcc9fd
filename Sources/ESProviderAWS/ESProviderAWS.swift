// AWS Secrets Manager and Parameter Store providers with SigV4 and STS auth.

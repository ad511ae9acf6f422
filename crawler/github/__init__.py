"""The GitHub forge kind (github.com and Enterprise Server): GraphQL listings, REST without a token."""

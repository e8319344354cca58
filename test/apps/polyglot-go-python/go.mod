module github.com/example/polyglot

go 1.16

require github.com/aws/aws-lambda-go v1.27.0

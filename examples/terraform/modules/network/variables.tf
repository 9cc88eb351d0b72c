variable "name" {
  description = "Name prefix for network resources."
  type        = string
}

variable "vpc_cidr" {
  type = string
}

variable "availability_zones" {
  type = list(string)
}

variable "single_nat_gateway" {
  type    = bool
  default = false
}

variable "log_kms_key_arn" {
  description = "KMS key that encrypts the flow-log group."
  type        = string
}

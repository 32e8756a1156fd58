#!/usr/bin/env bash
# The original bootstrap's order, done with the AWS CLI: seven phases, one after another, one stack at a time:
# primary, target roles, primary update, regional stacks, target-role update, primary update, pipeline.
# The Benchmark target runs it against the emulator beside the kit, with the kit's templates (cloudformation/) and the
# parameters the kit would give each stack, prepared in DIR:
#   settings.sh            NAME, BUILD_ACCOUNT, BUILD_REGION, ASSUME_ROLE, ACCOUNTS (array), EXTRA_REGIONS (array),
#                          SOURCE_BUCKET, PIPELINE_ROLE_ARN
#   primary.params, regional-REGION.params, roles-ACCOUNT.params   one Key=Value a line
#   pipeline.template      the pipeline stack's synthesized template
# Usage: cli-bootstrap.sh DIR REPOSITORY_ROOT   (AWS_ENDPOINT_URL, AWS_PROFILE: the build account's credentials)
set -euo pipefail
dir=$1 root=$2
# shellcheck source=/dev/null
source "$dir/settings.sh"
export AWS_DEFAULT_REGION=$BUILD_REGION
foundation=$root/cloudformation/foundation.yaml
target_roles=$root/cloudformation/target-roles.yaml

declare -A sessions
# A target account's credentials: its role assumed from the build account, once (as a profile would).
credentials_for() {
  local account=$1
  if [[ -z ${sessions[$account]:-} ]]; then
    sessions[$account]=$(aws sts assume-role --role-arn "arn:aws:iam::$account:role/$ASSUME_ROLE" --role-session-name bootstrap \
      --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
  fi
  read -r key secret token <<<"${sessions[$account]}"
}

deploy() {
  local region=$1 stack=$2 template=$3 params=$4; shift 4
  local overrides=()
  mapfile -t overrides <"$params"
  aws cloudformation deploy --region "$region" --stack-name "$stack" --template-file "$template" \
    --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset --parameter-overrides "${overrides[@]}" "$@" >/dev/null
}

deploy_roles() {
  local account
  for account in "${ACCOUNTS[@]}"; do
    credentials_for "$account"
    (
      unset AWS_PROFILE
      export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token
      deploy "$BUILD_REGION" "pipelinekit-$NAME-target-roles" "$target_roles" "$dir/roles-$account.params"
    )
  done
}

phase() { echo "phase $1: $2"; }

phase 1 "primary";               deploy "$BUILD_REGION" "pipelinekit-$NAME-primary" "$foundation" "$dir/primary.params"
phase 2 "target roles";          deploy_roles
phase 3 "primary update";        deploy "$BUILD_REGION" "pipelinekit-$NAME-primary" "$foundation" "$dir/primary.params"
phase 4 "regional stacks"
for region in "${EXTRA_REGIONS[@]}"; do
  deploy "$region" "pipelinekit-$NAME-regional" "$foundation" "$dir/regional-$region.params"
done
phase 5 "target-role update";    deploy_roles
phase 6 "primary update";        deploy "$BUILD_REGION" "pipelinekit-$NAME-primary" "$foundation" "$dir/primary.params"
phase 7 "pipeline"
aws cloudformation deploy --region "$BUILD_REGION" --stack-name "$NAME-pipeline" --template-file "$dir/pipeline.template" \
  --s3-bucket "$SOURCE_BUCKET" --role-arn "$PIPELINE_ROLE_ARN" --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset >/dev/null

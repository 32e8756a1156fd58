"""Starts moto_server for the kit's sandbox and integration tests, with a few corrections.

moto (5.2.x) executes a change set without doing what CloudFormation documents for it: the stack
keeps its old parameters and tags, and its Outputs are never evaluated (they stay empty for any
stack made through change sets). The kit deploys every stack through change sets and wires stacks
together through their outputs, so without this the sandbox could not run the same code path as
real AWS. The patches below make moto do what AWS documents:
- ExecuteChangeSet applies the change set's parameters and tags and re-evaluates outputs
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ExecuteChangeSet.html);
- DescribeStacks returns a CommaDelimitedList parameter as the string submitted ("a,b"), not as
  a Python list rendering ("['a', 'b']");
- an Output that refers to a resource type moto does not emulate is left out, instead of failing
  every DescribeStacks of the stack with HTTP 500 (the other outputs are still returned);
- UpdateTerminationProtection exists (moto answers it with HTTP 500) and DeleteStack refuses a
  protected stack
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateTerminationProtection.html).
- GetTemplate with a ChangeSetName returns that change set's template (moto ignores the name and
  returns the stack's) (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html).
- A TemplateURL in path style under the emulator's own address (http://127.0.0.1:PORT/bucket/key, what
  the kit's template store hands out for a custom endpoint) is read from moto's S3; moto reads path
  style only when the host is "localhost" and otherwise takes "127" for the bucket name.

The kit proves its permissions against the policies actually deployed, read back through the AWS APIs,
so the emulator must deploy them as CloudFormation does:
- AWS::S3::BucketPolicy is deployed (moto skips it with a warning): created, replaced on update and
  deleted with the bucket's policy
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucketpolicy.html);
- moto's S3 enforces bucket policies without a request context: it ignores every condition but
  StringEquals, so a conditional Deny such as "aws:SecureTransport": "false" denies every object
  request AWS allows. The sandbox does not enforce bucket policies; the kit evaluates them itself
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html);
- AWS::IAM::Role stores its Policies as JSON (moto stores a Python rendering that no JSON parser
  reads), attaches its ManagedPolicyArns (moto ignores them), and an update applies the trust
  policy, inline policies, managed policies and permissions boundary (moto changes only the
  description) (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html);
- AWS::IAM::ManagedPolicy: an update makes the new document the default version and follows the
  Roles/Groups/Users attachments, a delete detaches and deletes the policy (moto does neither and
  loses track of the resource on update)
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-managedpolicy.html);
- AWS::KMS::Key stores its KeyPolicy as JSON text (moto keeps the object, and GetKeyPolicy then
  returns an object where AWS returns a string) and an update applies KeyPolicy, Description,
  EnableKeyRotation and Enabled (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html);
- an update that changes a parameter modifies the resources that use it through a condition
  (Fn::If), not only those that Ref it, so a policy statement a parameter switches on or off is
  deployed (moto modifies only the latter)
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html);
- AWS managed policies (arn:aws:iam::aws:policy/..., e.g. PowerUserAccess, the execution role's
  default) exist in every account, as in AWS; moto loads them only when asked
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies).

- AWS::CodeBuild::Project (skipped by moto) gets its name as Ref and its ARN as Arn, as on AWS, so
  the policies the CDK writes for a project's role (its log group, its report groups) name the
  project and not a logical id; the project itself is still not created.
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html
- AWS::SNS::TopicPolicy (skipped by moto) sets the Policy attribute of each of its Topics.
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-topicpolicy.html
- deleting an AWS::KMS::Key from a stack (DeleteStack, without DeletionPolicy: Retain) schedules the key's
  deletion with its PendingWindowInDays (default 30), as AWS does; moto deleted the key at once.
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html#cfn-kms-key-pendingwindowindays
- ScheduleKeyDeletion accepts a key ARN as KeyId, as AWS documents (moto failed with HTTP 500 on anything but the key id).
  https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html#KMS-ScheduleKeyDeletion-request-KeyId
- AWS::S3::Bucket applies VersioningConfiguration (moto ignores it, so objects got no version ids
  and the pipeline's S3 source and the sample app's CodeObjectVersion had none to name).
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-versioningconfiguration.html

- CreateChangeSet with ChangeSetType IMPORT (moto treats it as CREATE and then creates the resources anew, which
  fails on their names): each resource of ResourcesToImport must exist in the stack's account and region, else
  ValidationError; the change set lists one Import change per resource; executing it adopts the existing bucket,
  key, alias or role into the stack (nothing is created) and leaves the stack IMPORT_COMPLETE, so a later UPDATE
  change set modifies them as it would resources it created.
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-new-stack.html
- CreateChangeSet of an UPDATE that changes nothing creates a FAILED change set ("The submitted information didn't
  contain changes"), as AWS does, where moto refused it with "No updates are to be performed" as UpdateStack does; a
  template that is neither JSON nor YAML is refused with ValidationError "Template format error" (moto: HTTP 500).
  https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html
- CreateChangeSet with a parameter's UsePreviousValue=true: moto answered a CREATE change set with HTTP 500 (a
  NameError: it reads the previous value from a stack it never looked up); AWS refuses it with ValidationError, and
  for an UPDATE takes the stack's current value, refusing a key the stack does not have.
  https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html
- CreateChangeSet without a value for a template parameter that has no Default is refused with ValidationError
  "Parameters: [name] must have values", as AWS does ("If you don't specify a key and value for a particular parameter,
  CloudFormation uses the default value that's specified in your template"; without one there is nothing to use); moto
  created the change set and failed its ExecuteChangeSet with "Missing parameter". A value for a parameter the template
  does not declare is refused with ValidationError "Parameters: [name] do not exist in the template", as AWS does; moto
  accepted and ignored it.
  https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html

Organizational units as targets need the service-managed stack sets' automatic deployment, which moto does not implement:
- CreateStackSet and UpdateStackSet keep AutoDeployment (Enabled, RetainStacksOnAccountRemoval) and DescribeStackSet returns
  it (moto dropped it); CreateStackInstances records the units and regions a stack set deploys to;
- an account moved into such a unit (or a unit below it; MoveAccount), or created there, gets the stack set's instance in
  each of those regions, and one moved out of them loses it when RetainStacksOnAccountRemoval is false, as AWS documents
  (moto did neither: only CreateStackInstances deployed, to the accounts there at that moment).
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
  Not corrected: UpdateStackSet without Accounts and Regions does not update the instances' stacks (AWS updates them all).
- DeleteStackInstances of a service-managed stack set names units (DeploymentTargets.OrganizationalUnitIds): the
  instances of every account below them go, their stacks with them (RetainStacks false), and automatic deployment
  stops deploying there (moto read Accounts only, and deleted nothing).
  https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStackInstances.html

The sandbox's organization: at start the emulator already holds an organization with fixed ids, so the sandbox
configuration (Configuration/sandbox.pipeline.json) can name it and its units (moto made none, and random ids when asked):
organization o-pksandbox01, managed by 123456789012 (the sandbox's build account), root r-pk01 holding 555555555555 (the
source account) and two units: ou-pk01-test0001 "workloads-test" (333333333333, 666666666666) and ou-pk01-work0001
"workloads" (222222222222, 444444444444). Trusted access for CloudFormation StackSets is enabled, as service-managed stack
sets need. The ids follow AWS's patterns (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html).
On AWS the build account had better be a delegated administrator for StackSets than the management account; the kit
supports both (CallAs DELEGATED_ADMIN or SELF). A /moto-api/reset removes the organization with everything else.

- An action moto does not implement (DetectStackDrift, the CodeStar connections API, ...) is answered as AWS answers
  an action it does not know: HTTP 400 InvalidAction (UnknownOperationException for JSON protocol services). moto
  answered HTTP 500 with an HTML page, which a client rightly retries as a server error.
  https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html

Two runs at once, and a retried call, must meet what CloudFormation does
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html,
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ExecuteChangeSet.html):
- a CREATE change set for a stack that exists is refused with AlreadyExistsException, unless the stack is still
  REVIEW_IN_PROGRESS (never executed), where it joins that stack (moto made a second stack of the same name);
- ExecuteChangeSet of a change set that is not AVAILABLE is refused with InvalidChangeSetStatus, unless it repeats the
  ClientRequestToken the change set was executed with, which AWS answers as the first call (moto applied it again);
  executing a change set deletes the stack's other change sets, which are no longer valid for the updated stack;
- ListChangeSets lists the named stack's change sets, and Describe/Delete/ExecuteChangeSet find a change set by name
  within the named stack (moto listed every change set of the region and looked names up across it, so one run's
  removal of stale change sets could delete another stack's pending one), answering ChangeSetNotFound otherwise;
  deleting a stack deletes its change sets (moto kept them, and a new stack of the same name found them by name).

One request at a time: moto_server answers each request on its own thread, but neither moto's backends nor these patches
lock the dictionaries they share (an account's IAM roles and managed policies, a region's stacks and change sets). Two kit
runs against one emulator then failed each other's calls with "RuntimeError: dictionary changed size during iteration"
(moto's attach_role_policy iterating the account's managed policies while another request added one), and an
ExecuteChangeSet that failed half-way left its stack without the resource it was creating: the retried call found nothing
to do, and every DescribeStacks after it tried to create that resource again for the stack's outputs and answered HTTP 500.
Each AWS API call is atomic to its caller; the launcher runs every request's action under one lock (the request's body is
read before it is taken).

A web page must not reach the emulator: it answers without credentials, and the local pipeline run executes what it
holds (the buildspecs of the deployed template, the code in the source bucket). Every request carrying an Origin header
(browsers send it on cross-site requests; the AWS SDKs and CLI never do) and every request whose Host is not 127.0.0.1,
localhost or [::1] (any port; another name is a DNS-rebinding page) is refused with HTTP 403 before moto sees it.

Usage: python3 moto_sandbox.py -H 127.0.0.1 -p PORT   (the same arguments as moto_server)
"""
import contextlib
import copy
import json
from xml.sax.saxutils import escape
import sys
import threading
import yaml
from urllib.parse import urlparse

from moto.cloudformation import models, parsing, responses
from moto.cloudformation.exceptions import AlreadyExistsException, CloudFormationError, ValidationError
from moto.cloudformation.utils import generate_changeset_id
from moto.core.common_models import CloudFormationModel
from moto.core.config import default_user_config
from moto.core.responses import ActionResult, BaseResponse, EmptyResult
from moto.core.utils import convert_to_flask_response
from moto.iam import models as iam_models
from moto.iam.access_control import PermissionResult
from moto.kms import models as kms_models
from moto.organizations import models as org_models
from moto.organizations import utils as org_utils
from moto.s3 import models as s3_models
from moto.s3.exceptions import MissingBucket
from moto.sns import models as sns_models
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.server import main
from moto.utilities.utils import get_partition

_execute = models.CloudFormationBackend.execute_change_set


def _find_change_set(backend, name):
    if name in backend.change_sets:
        return backend.change_sets[name]
    for change_set in backend.change_sets.values():
        if change_set.change_set_name == name:
            return change_set
    return None


class InvalidChangeSetStatus(CloudFormationError):
    code = "InvalidChangeSetStatus"


class ChangeSetNotFound(CloudFormationError):
    code = "ChangeSetNotFound"


_backend_create_change_set = models.CloudFormationBackend.create_change_set


def backend_create_change_set(self, stack_name, change_set_name, template, parameters, description, change_set_type,
                              notification_arns=None, tags=None, role_arn=None):
    existing = next((s for s in self.stacks.values() if s.name == stack_name and s.status != "DELETE_COMPLETE"), None)
    if change_set_type != "CREATE" or existing is None:
        return _backend_create_change_set(self, stack_name, change_set_name, template, parameters, description, change_set_type,
                                          notification_arns, tags, role_arn)
    if existing.status != "REVIEW_IN_PROGRESS":
        raise AlreadyExistsException(f"Stack [{stack_name}] already exists and cannot be created again with the changeSet [{change_set_name}].")
    change_set_id = generate_changeset_id(change_set_name, self.region_name, self.account_id)
    change_set = models.ChangeSet("CREATE", change_set_id, change_set_name, existing, template, parameters, description,
                                  notification_arns, tags, role_arn)
    change_set.status, change_set.execution_status = "CREATE_COMPLETE", "AVAILABLE"
    self.change_sets[change_set_id] = change_set
    return change_set_id, existing.stack_id


def _of_stack(change_set, stack_name):
    return change_set.stack.status != "DELETE_COMPLETE" and stack_name in (None, "", change_set.stack.name, change_set.stack.stack_id)


def _scoped_change_set(response):
    """The change set a request names: by ARN, or by name within the request's stack (moto looks names up across the
    region, so one stack's call could reach another stack's change set of the same name)."""
    backend = response.cloudformation_backend
    name, stack_name = response._get_param("ChangeSetName"), response._get_param("StackName")
    found = backend.change_sets.get(name) or next(
        (c for c in backend.change_sets.values() if c.change_set_name == name and _of_stack(c, stack_name)), None)
    if found is None:
        raise ChangeSetNotFound(f"ChangeSet [{name}] does not exist")
    return found


def list_change_sets(self):
    stack_name = self._get_param("StackName")
    return ActionResult({"Summaries": [c for c in self.cloudformation_backend.list_change_sets() if _of_stack(c, stack_name)]})


def describe_change_set(self):
    return ActionResult(_scoped_change_set(self))


def delete_change_set(self):
    change_set = _scoped_change_set(self)
    self.cloudformation_backend.change_sets.pop(change_set.change_set_id, None)
    return EmptyResult()


def respond_execute_change_set(self):
    backend = self.cloudformation_backend
    change_set = _scoped_change_set(self)
    stack_name = self._get_param("StackName")
    token = self._get_param("ClientRequestToken")
    if change_set.execution_status != "AVAILABLE":
        if token and getattr(change_set, "sandbox_token", None) == token:
            return EmptyResult()
        raise InvalidChangeSetStatus(
            f"ChangeSet [{change_set.change_set_id}] cannot be executed in its current execution status of [{change_set.execution_status}]")
    backend.execute_change_set(stack_name=stack_name, change_set_name=change_set.change_set_id)
    change_set.sandbox_token = token
    for other_id in [i for i, other in backend.change_sets.items() if other.stack is change_set.stack and other is not change_set]:
        del backend.change_sets[other_id]
    return EmptyResult()


def execute_change_set(self, change_set_name, stack_name=None):
    change_set = _find_change_set(self, change_set_name)
    if change_set is not None and change_set.change_set_type == "IMPORT":
        return _execute_import(self, change_set)
    # Applying a change set turns list parameters into Python lists in place; keep the submitted strings.
    submitted = dict(change_set.parameters) if change_set is not None else None
    _execute(self, change_set_name, stack_name)
    if change_set is None:
        return
    stack = change_set.stack
    stack.parameters = submitted
    if change_set.tags is not None:
        stack.tags = change_set.tags
    stack._parse_template()
    stack.output_map = stack._create_output_map()


_create_change_set = responses.CloudFormationResponse.create_change_set


def _previous_values(self, change_type):
    """Resolves UsePreviousValue as AWS does; moto's own resolution fails with a NameError outside UPDATE."""
    parameters = self._get_param("Parameters", [])
    if not any(str(p.get("UsePreviousValue", "")).lower() == "true" for p in parameters):
        return None
    if change_type != "UPDATE":
        raise ValidationError(message=f"Cannot specify UsePreviousValue on Parameters when ChangeSetType is {change_type}")
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    previous = stack.stack_parameters
    resolved = {}
    for parameter in parameters:
        key = parameter["ParameterKey"]
        if str(parameter.get("UsePreviousValue", "")).lower() != "true":
            resolved[key] = parameter.get("ParameterValue")
        elif parameter.get("ParameterValue"):
            raise ValidationError(
                message=f"Invalid input for parameter key {key}. Cannot specify usePreviousValue as true and non empty value for a parameter"
            )
        elif key not in previous:
            raise ValidationError(message="Cannot specify usePreviousValue as true for a parameter key not in the previous template")
        else:
            resolved[key] = previous[key]
    return resolved


def _existing_resource(account_id, region_name, resource_type, identifier):
    """The moto object behind a resource to import, or None when the stack's account and region have none."""
    if resource_type == "AWS::S3::Bucket":
        bucket = s3_models.s3_backends[account_id][get_partition(region_name)].buckets.get(identifier)
        return bucket if bucket is not None and bucket.account_id == account_id else None
    if resource_type == "AWS::KMS::Key":
        backend = kms_models.kms_backends[account_id][region_name]
        key = backend.keys.get(identifier)
        return key if key is not None and key.key_state not in ("PendingDeletion",) else None
    if resource_type == "AWS::KMS::Alias":
        backend = kms_models.kms_backends[account_id][region_name]
        for key_id, aliases in backend.key_to_aliases.items():
            if identifier in aliases and key_id in backend.keys:
                return kms_models.Alias(account_id, region_name, identifier, backend.keys[key_id])
        return None
    if resource_type == "AWS::IAM::Role":
        backend = _iam(account_id, region_name)
        return next((role for role in backend.roles.values() if role.name == identifier), None)
    return None


def _owned_by_a_stack(backend, resource_type, identifier):
    for stack in backend.stacks.values():
        if stack.status in ("DELETE_COMPLETE", "REVIEW_IN_PROGRESS"):
            continue
        for resource in stack.resource_map._parsed_resources.values():
            if getattr(resource, "physical_resource_id", None) == identifier and getattr(resource, "cf_resource_type", None) == resource_type:
                return stack.name
    return None


def _create_checked(self):
    # An UPDATE change set without changes is created FAILED, as on AWS (moto's backend does so); moto's response
    # refused it outright, as UpdateStack does. A template that is neither JSON nor YAML is a ValidationError
    # (moto failed with HTTP 500).
    self._validate_different_update = lambda *arguments: None
    try:
        return _create_change_set(self)
    except json.JSONDecodeError as e:
        raise ValidationError(message=f"Template format error: YAML not well-formed. ({e})")


def _template_parameters(body):
    """The template's Parameters section; None when the template cannot be read (moto's own parse then refuses it)."""
    try:
        try:
            document = json.loads(body)
        except ValueError:
            loader = type("TagIgnoringLoader", (yaml.SafeLoader,), {})
            loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
            document = yaml.load(body, Loader=loader)
    except Exception:
        return None
    parameters = document.get("Parameters") if isinstance(document, dict) else None
    return parameters if isinstance(parameters, dict) else {}


def _check_parameter_values(self):
    """Every template parameter without a Default needs a value (or UsePreviousValue): CloudFormation refuses the change
    set with ValidationError "Parameters: [name, ...] must have values"; moto accepted it and failed at ExecuteChangeSet.
    A value for a parameter the template does not declare is refused too, with ValidationError "Parameters: [name, ...]
    do not exist in the template"; moto accepted it and ignored it."""
    body = self._get_param("TemplateBody") or self._get_stack_from_s3_url(self._get_param("TemplateURL"))
    declared = _template_parameters(body) if body else None
    if declared is None:
        return
    given = [p.get("ParameterKey") for p in self._get_param("Parameters", [])]
    undeclared = [name for name in given if name not in declared]
    if undeclared:
        raise ValidationError(message=f"Parameters: [{', '.join(undeclared)}] do not exist in the template")
    missing = [name for name, spec in declared.items() if not (isinstance(spec, dict) and "Default" in spec) and name not in given]
    if missing:
        raise ValidationError(message=f"Parameters: [{', '.join(missing)}] must have values")


def create_change_set(self):
    change_type = self._get_param("ChangeSetType", "CREATE")
    resolved = _previous_values(self, change_type)
    if change_type != "IMPORT":
        _check_parameter_values(self)
        if resolved is None:
            return _create_checked(self)
        # The previous values resolved here; moto reads the plain values.
        self.params["Parameters"] = [{"ParameterKey": key, "ParameterValue": value} for key, value in resolved.items()]
        return _create_checked(self)

    backend = self.cloudformation_backend
    imports = self._get_param("ResourcesToImport", [])
    if not imports:
        raise ValidationError(message="ResourcesToImport must be specified for a change set of type IMPORT")
    adopted = {}
    for entry in imports:
        logical_id, resource_type = entry["LogicalResourceId"], entry["ResourceType"]
        identifier = next(iter((entry.get("ResourceIdentifier") or {}).values()), None)
        resource = _existing_resource(backend.account_id, backend.region_name, resource_type, identifier)
        if resource is None:
            raise ValidationError(message=f"Resource {logical_id} of type {resource_type} with identifier {identifier} does not exist")
        owner = _owned_by_a_stack(backend, resource_type, identifier)
        if owner is not None:
            raise ValidationError(message=f"Resource {logical_id} ({identifier}) already belongs to stack {owner}")
        adopted[logical_id] = (resource_type, resource)
    body = self._get_param("TemplateBody") or self._get_stack_from_s3_url(self._get_param("TemplateURL"))
    tags = {item["Key"]: item["Value"] for item in self._get_param("Tags", [])}
    change_set_id, stack_id = backend.create_change_set(
        stack_name=self._get_param("StackName"),
        change_set_name=self._get_param("ChangeSetName"),
        template=body,
        parameters={p["ParameterKey"]: p["ParameterValue"] for p in self._get_param("Parameters", [])},
        description=self._get_param("Description"),
        notification_arns=self._get_param("NotificationARNs", []),
        tags=tags,
        role_arn=self._get_param("RoleARN"),
        change_set_type="IMPORT",
    )
    change_set = backend.change_sets[change_set_id]
    change_set.sandbox_imports = adopted
    change_set.changes = [models.Change("Import", logical_id, resource_type) for logical_id, (resource_type, _) in adopted.items()]
    return ActionResult({"Id": change_set_id, "StackId": stack_id})


def _execute_import(backend, change_set):
    """Adopts the change set's resources into its stack: the template's resources are these, already created."""
    stack = change_set.stack
    stack._add_stack_event("IMPORT_IN_PROGRESS", resource_status_reason="User Initiated")
    template = change_set.template_dict
    resource_map = stack.resource_map
    resource_map._template = template
    resource_map._resource_json_map = template["Resources"]
    for logical_id, (resource_type, resource) in change_set.sandbox_imports.items():
        resource.cf_resource_type = resource_type
        resource.logical_resource_id = logical_id
        resource_map._parsed_resources[logical_id] = resource
        for status in ("IMPORT_IN_PROGRESS", "IMPORT_COMPLETE"):
            stack.events.append(models.Event(stack.stack_id, stack.name, logical_id, resource.physical_resource_id, resource_type,
                                             status, None, None))
    stack.template = change_set.template
    stack._parse_template()
    stack.output_map = stack._create_output_map()
    change_set.execution_status = "EXECUTE_COMPLETE"
    stack.status = "IMPORT_COMPLETE"
    stack._add_stack_event("IMPORT_COMPLETE")


def update_termination_protection(self):
    name = self._get_param("StackName")
    enable = str(self._get_param("EnableTerminationProtection")).lower() == "true"
    stack = self.cloudformation_backend.get_stack(name)
    stack.enable_termination_protection = enable
    return ActionResult({"StackId": stack.stack_id})


_delete_stack = models.CloudFormationBackend.delete_stack


def delete_stack(self, name):
    for stack in self.stacks.values():
        if name in (stack.name, stack.stack_id) and stack.enable_termination_protection:
            raise ValidationError(
                stack.name, message=f"Stack [{stack.name}] cannot be deleted while TerminationProtection is enabled"
            )
    deleted = [stack for stack in self.stacks.values() if name in (stack.name, stack.stack_id)]
    result = _delete_stack(self, name)
    # A deleted stack's change sets go with it (moto kept them, and a new stack of the same name then found them by name).
    for change_set_id in [i for i, c in self.change_sets.items() if any(c.stack is stack for stack in deleted)]:
        del self.change_sets[change_set_id]
    return result


def stack_parameters(self):
    return {
        key: ",".join(value) if isinstance(value, list) else value
        for key, value in self.resource_map.resolved_parameters.items()
    }


def parameter_list(self):
    hidden = self.resource_map.no_echo_parameter_keys
    return [
        {"ParameterKey": key, "ParameterValue": "****" if key in hidden else value}
        for key, value in stack_parameters(self).items()
    ]


_get_template = responses.CloudFormationResponse.get_template


def get_template(self):
    name = self._get_param("ChangeSetName")
    if not name:
        return _get_template(self)
    change_set = _find_change_set(self.cloudformation_backend, name)
    if change_set is None:
        raise ValidationError(name, message=f"ChangeSet [{name}] does not exist")
    return ActionResult({"TemplateBody": change_set.template})


_get_stack_from_s3_url = responses.CloudFormationResponse._get_stack_from_s3_url


def get_stack_from_s3_url(self, template_url):
    parts = urlparse(template_url)
    if not (parts.hostname or "").endswith((".amazonaws.com", ".amazonaws.com.cn")):
        template_url = parts._replace(netloc="localhost").geturl()
    return _get_stack_from_s3_url(self, template_url)


_output_item = parsing.OutputMap.__getitem__


def output_item(self, key):
    try:
        return _output_item(self, key)
    except ValidationError as error:
        print(f"moto_sandbox: output {key} of {self._stack_id} left out: {error}", file=sys.stderr, flush=True)
        return None


def _json(document):
    """A policy document from a template as JSON text; templates may also give it as a JSON string."""
    if isinstance(document, str):
        return document
    return json.dumps(_without_no_value(document), default=iam_models._serialize_version_datetime)


def _without_no_value(value):
    """moto resolves AWS::NoValue in a list (a statement under Fn::If) to None; CloudFormation drops the element."""
    if isinstance(value, dict):
        return {key: _without_no_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_no_value(item) for item in value if item is not None]
    return value


def _iam(account_id, region_name):
    return iam_models.iam_backends[account_id][get_partition(region_name)]


class FakeBucketPolicy(CloudFormationModel):
    """AWS::S3::BucketPolicy: the policy of the bucket named by Bucket."""

    # moto files its models by the package its module names: keep it under S3.
    __module__ = "moto.s3.sandbox"

    def __init__(self, account_id, region_name, bucket_name):
        self.account_id = account_id
        self.region_name = region_name
        self.bucket_name = bucket_name

    @staticmethod
    def cloudformation_name_type():
        return ""

    @staticmethod
    def cloudformation_type():
        return "AWS::S3::BucketPolicy"

    @classmethod
    def has_cfn_attr(cls, attr):
        return False

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        bucket_name = properties["Bucket"]
        backend = s3_models.s3_backends[account_id][get_partition(region_name)]
        backend.put_bucket_policy(bucket_name, _json(properties["PolicyDocument"]).encode("utf-8"))
        return cls(account_id, region_name, bucket_name)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        updated = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        if updated.bucket_name != original_resource.bucket_name:
            original_resource.delete(account_id, region_name)
        return updated

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        cls(account_id, region_name, resource_name).delete(account_id, region_name)

    def delete(self, account_id, region_name):
        try:
            s3_models.s3_backends[account_id][get_partition(region_name)].delete_bucket_policy(self.bucket_name)
        except MissingBucket:
            pass

    def is_created(self):
        return True

    @property
    def physical_resource_id(self):
        return self.bucket_name


class _Passive:
    """What a stand-in for a resource type moto skips needs beyond its creation: an update makes it anew, a delete
    leaves nothing to undo. Mixed in before CloudFormationModel, since moto registers only its direct subclasses."""

    @staticmethod
    def cloudformation_name_type():
        return ""

    @classmethod
    def has_cfn_attr(cls, attr):
        return False

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass

    def is_created(self):
        return True


class FakeCodeBuildProject(_Passive, CloudFormationModel):
    """AWS::CodeBuild::Project: only its name and ARN, for what refers to them."""

    __module__ = "moto.codebuild.sandbox"

    def __init__(self, account_id, region_name, name):
        self.name = name
        self.arn = f"arn:{get_partition(region_name)}:codebuild:{region_name}:{account_id}:project/{name}"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @staticmethod
    def cloudformation_type():
        return "AWS::CodeBuild::Project"

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name):
        return self.arn

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return cls(account_id, region_name, cloudformation_json["Properties"].get("Name", resource_name))

    @property
    def physical_resource_id(self):
        return self.name


class FakeTopicPolicy(_Passive, CloudFormationModel):
    """AWS::SNS::TopicPolicy: the Policy attribute of every topic it names."""

    __module__ = "moto.sns.sandbox"

    def __init__(self, topics):
        self.topics = topics

    @staticmethod
    def cloudformation_type():
        return "AWS::SNS::TopicPolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = sns_models.sns_backends[account_id][region_name]
        for topic in properties["Topics"]:
            backend.set_topic_attribute(topic, "policy", _json(properties["PolicyDocument"]))
        return cls(list(properties["Topics"]))

    @property
    def physical_resource_id(self):
        return ",".join(self.topics)


def bucket_permission(self, action, resource):
    return PermissionResult.NEUTRAL


_create_role = iam_models.Role.create_from_cloudformation_json.__func__
_delete_role = iam_models.Role.delete_from_cloudformation_json.__func__


def create_role(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    cloudformation_json = copy.deepcopy(cloudformation_json)
    properties = cloudformation_json["Properties"]
    for policy in properties.get("Policies", []):
        policy["PolicyDocument"] = _json(policy["PolicyDocument"])
    role = _create_role(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    role.sandbox_properties = properties
    for arn in properties.get("ManagedPolicyArns", []):
        _iam(account_id, region_name).attach_role_policy(arn, role.name)
    return role


def update_role(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    properties = cloudformation_json["Properties"]
    name = properties.get("RoleName", original_resource.name)
    if name != original_resource.name:
        # A new name replaces the role.
        role = cls.create_from_cloudformation_json(name, cloudformation_json, account_id, region_name)
        cls.delete_from_cloudformation_json(original_resource.name, cloudformation_json, account_id, region_name)
        return role

    role = original_resource
    backend = _iam(account_id, region_name)
    before = getattr(role, "sandbox_properties", {})
    role.path = properties.get("Path", "/")
    role.assume_role_policy_document = _json(properties["AssumeRolePolicyDocument"])
    role.description = properties.get("Description", "")
    role.max_session_duration = properties.get("MaxSessionDuration", 3600)
    role.permissions_boundary_arn = properties.get("PermissionsBoundary") or None
    # Only what this resource put there: AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources attach to the role too.
    policies = {p["PolicyName"]: _json(p["PolicyDocument"]) for p in properties.get("Policies", [])}
    for old in before.get("Policies", []):
        if old["PolicyName"] not in policies and old["PolicyName"] in role.policies:
            role.delete_policy(old["PolicyName"])
    for policy_name, document in policies.items():
        role.put_policy(policy_name, document)
    arns = properties.get("ManagedPolicyArns", [])
    for arn in before.get("ManagedPolicyArns", []):
        if arn not in arns and arn in role.managed_policies:
            backend.detach_role_policy(arn, role.name)
    for arn in arns:
        if arn not in role.managed_policies:
            backend.attach_role_policy(arn, role.name)
    role.sandbox_properties = copy.deepcopy(properties)
    return role


def delete_role(cls, resource_name, cloudformation_json, account_id, region_name):
    backend = _iam(account_id, region_name)
    for role in list(backend.roles.values()):
        if role.name == resource_name:
            for arn in getattr(role, "sandbox_properties", {}).get("ManagedPolicyArns", []):
                if arn in role.managed_policies:
                    backend.detach_role_policy(arn, role.name)
    _delete_role(cls, resource_name, cloudformation_json, account_id, region_name)


_create_managed_policy = iam_models.ManagedPolicy.create_from_cloudformation_json.__func__
_ATTACHMENTS = (("Roles", "role"), ("Groups", "group"), ("Users", "user"))


def create_managed_policy(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    policy = _create_managed_policy(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    policy.sandbox_properties = copy.deepcopy(cloudformation_json.get("Properties", {}))
    return policy


def update_managed_policy(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    properties = cloudformation_json.get("Properties", {})
    before = getattr(original_resource, "sandbox_properties", {})
    if any(properties.get(key) != before.get(key) for key in ("ManagedPolicyName", "Path", "Description")):
        # These replace the policy; the old one goes first, as the new one may have the same name.
        cls.delete_from_cloudformation_json(original_resource.arn, cloudformation_json, account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    policy = original_resource
    backend = _iam(account_id, region_name)
    document = _json(properties.get("PolicyDocument"))
    if document != _json(before.get("PolicyDocument")):
        if len(policy.versions) >= 5:
            oldest = next(v for v in policy.versions if not v.is_default)
            backend.delete_policy_version(policy.arn, oldest.version_id)
        backend.create_policy_version(policy.arn, document, set_as_default=True)
    for key, kind in _ATTACHMENTS:
        old, new = before.get(key, []), properties.get(key, [])
        for name in old:
            if name not in new:
                getattr(backend, f"detach_{kind}_policy")(policy.arn, name)
        for name in new:
            if name not in old:
                getattr(backend, f"attach_{kind}_policy")(policy.arn, name)
    policy.sandbox_properties = copy.deepcopy(properties)
    return policy


def delete_managed_policy(cls, resource_name, cloudformation_json, account_id, region_name):
    backend = _iam(account_id, region_name)
    policy = backend.managed_policies.get(resource_name)
    if policy is None:
        return
    for entities, kind in ((backend.roles.values(), "role"), (backend.groups.values(), "group"), (backend.users.values(), "user")):
        for entity in list(entities):
            if policy.arn in entity.managed_policies:
                getattr(backend, f"detach_{kind}_policy")(policy.arn, entity.name)
    backend.delete_policy(policy.arn)


_create_key = kms_models.Key.create_from_cloudformation_json.__func__


def create_key(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    cloudformation_json = copy.deepcopy(cloudformation_json)
    properties = cloudformation_json["Properties"]
    properties["KeyPolicy"] = _json(properties["KeyPolicy"])
    key = _create_key(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    key.pending_window_in_days = int(properties.get("PendingWindowInDays", 30))
    return key


_schedule_key_deletion = kms_models.KmsBackend.schedule_key_deletion


def schedule_key_deletion(self, key_id, pending_window_in_days):
    return _schedule_key_deletion(self, self.get_key_id(key_id), pending_window_in_days)


def delete_key_resource(self, account_id, region_name):
    kms_models.kms_backends[account_id][region_name].schedule_key_deletion(self.id, getattr(self, "pending_window_in_days", 30))


def update_key(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    properties = cloudformation_json["Properties"]
    key = original_resource
    key.policy = _json(properties["KeyPolicy"])
    key.description = properties.get("Description", "")
    key.key_rotation_status = properties.get("EnableKeyRotation", False)
    key.enabled = properties.get("Enabled", True)
    return key


_build_resource_diff = parsing.ResourceMap.build_resource_diff


def _found(value, match):
    """Every value match(node) returns for a node of a template fragment, depth first."""
    found = []
    if isinstance(value, dict):
        found.extend(match(value))
        for item in value.values():
            found.extend(_found(item, match))
    elif isinstance(value, list):
        for item in value:
            found.extend(_found(item, match))
    return found


def _condition_names(node):
    return [node["Condition"]] if isinstance(node.get("Condition"), str) else []


def _if_condition_names(node):
    branches = node.get("Fn::If")
    return [branches[0]] if isinstance(branches, list) and branches and isinstance(branches[0], str) else []


def build_resource_diff(self, other_template, parameters=None):
    diff = _build_resource_diff(self, other_template, parameters)
    if not parameters:
        return diff
    changed = {key for key in parameters if self.input_parameters.get(key) != parameters[key]}
    conditions = other_template.get("Conditions") or {}
    affected = set()
    grown = True
    while grown:
        grown = False
        for name, definition in conditions.items():
            uses = set(parsing.get_references_from_template(definition)) | set(_found(definition, _condition_names))
            if name not in affected and uses & (changed | affected):
                affected.add(name)
                grown = True
    for name, resource in other_template["Resources"].items():
        if name in self._resource_json_map and name not in diff["Modify"] and affected & set(_found(resource, _if_condition_names)):
            diff["Modify"].append(name)
    return diff


_call_action = BaseResponse.call_action


def call_action(self):
    try:
        return _call_action(self)
    except NotImplementedError as e:
        if self.headers.get("X-Amz-Target"):
            body = json.dumps({"__type": "UnknownOperationException", "message": str(e)})
            return 400, {"Content-Type": "application/x-amz-json-1.1", "status": "400"}, body
        body = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
                f"<Message>{escape(str(e))}</Message></Error><RequestId>0</RequestId></ErrorResponse>")
        return 400, {"Content-Type": "text/xml", "status": "400"}, body


BaseResponse.call_action = call_action
_respond = convert_to_flask_response.__call__
_one_request_at_a_time = threading.RLock()


def respond(self, args=None, **kwargs):
    """Every service's request (moto routes each through here), one at a time; the body is read first, outside the lock."""
    from flask import request
    request.get_data(cache=True)
    with _one_request_at_a_time:
        return _respond(self, args, **kwargs)


convert_to_flask_response.__call__ = respond
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def _host_name(host):
    """The Host header without its port: "127.0.0.1:5000" -> "127.0.0.1", "[::1]:5000" -> "[::1]"."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[:host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _refusal(environ):
    """Why a request is refused before it reaches moto, or None. The emulator holds what the local pipeline run executes
    (buildspecs, source code) and answers without credentials, on loopback only; a web page must not reach it:
    - a request with an Origin header comes from a browser (the AWS SDKs and CLI never send one);
    - a Host other than a loopback name is a DNS-rebinding page (its own name resolving to 127.0.0.1)."""
    if environ.get("HTTP_ORIGIN") is not None:
        return "requests with an Origin header (from a web browser) are refused"
    host = environ.get("HTTP_HOST")
    if host is None or _host_name(host) not in _LOOPBACK_HOSTS:
        return f"requests for host {host!r} are refused; the emulator answers 127.0.0.1, localhost and [::1] only"
    return None


_dispatch = DomainDispatcherApplication.__call__


def dispatch(self, environ, start_response):
    """Every request, before moto routes it: refused with HTTP 403 when a browser page could have sent it."""
    refusal = _refusal(environ)
    if refusal is None:
        return _dispatch(self, environ, start_response)
    body = f"PipelineKit sandbox: {refusal}.\n".encode()
    start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


DomainDispatcherApplication.__call__ = dispatch
parsing.get_model_list.cache_clear()
parsing.get_model_map.cache_clear()
parsing.get_name_type_map.cache_clear()
default_user_config["iam"]["load_aws_managed_policies"] = True
s3_models.FakeBucket.get_permission = bucket_permission
parsing.ResourceMap.build_resource_diff = build_resource_diff
_create_bucket = s3_models.FakeBucket.create_from_cloudformation_json.__func__
_update_bucket = s3_models.FakeBucket.update_from_cloudformation_json.__func__


def _apply_versioning(bucket, cloudformation_json, account_id, region_name):
    status = cloudformation_json.get("Properties", {}).get("VersioningConfiguration", {}).get("Status")
    if status:
        s3_models.s3_backends[account_id][get_partition(region_name)].put_bucket_versioning(bucket.name, status)
    return bucket


def create_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    bucket = _create_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    return _apply_versioning(bucket, cloudformation_json, account_id, region_name)


def update_bucket(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    bucket = _update_bucket(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
    return _apply_versioning(bucket, cloudformation_json, account_id, region_name)


s3_models.FakeBucket.create_from_cloudformation_json = classmethod(create_bucket)
s3_models.FakeBucket.update_from_cloudformation_json = classmethod(update_bucket)
iam_models.Role.create_from_cloudformation_json = classmethod(create_role)
iam_models.Role.update_from_cloudformation_json = classmethod(update_role)
iam_models.Role.delete_from_cloudformation_json = classmethod(delete_role)
iam_models.ManagedPolicy.create_from_cloudformation_json = classmethod(create_managed_policy)
iam_models.ManagedPolicy.update_from_cloudformation_json = classmethod(update_managed_policy)
iam_models.ManagedPolicy.delete_from_cloudformation_json = classmethod(delete_managed_policy)
kms_models.Key.create_from_cloudformation_json = classmethod(create_key)
kms_models.Key.update_from_cloudformation_json = classmethod(update_key)
kms_models.Key.delete = delete_key_resource
kms_models.KmsBackend.schedule_key_deletion = schedule_key_deletion
parsing.OutputMap.__getitem__ = output_item
models.Stack.stack_parameters = property(stack_parameters)
models.Stack.parameter_list = property(parameter_list)
models.CloudFormationBackend.execute_change_set = execute_change_set
models.CloudFormationBackend.create_change_set = backend_create_change_set
responses.CloudFormationResponse.execute_change_set = respond_execute_change_set
responses.CloudFormationResponse.list_change_sets = list_change_sets
responses.CloudFormationResponse.describe_change_set = describe_change_set
responses.CloudFormationResponse.delete_change_set = delete_change_set
models.CloudFormationBackend.delete_stack = delete_stack
responses.CloudFormationResponse.update_termination_protection = update_termination_protection
responses.CloudFormationResponse.create_change_set = create_change_set
responses.CloudFormationResponse.get_template = get_template
responses.CloudFormationResponse._get_stack_from_s3_url = get_stack_from_s3_url

_create_stack_set = responses.CloudFormationResponse.create_stack_set
_update_stack_set = responses.CloudFormationResponse.update_stack_set
_create_stack_instances = responses.CloudFormationResponse.create_stack_instances
_delete_stack_instances = responses.CloudFormationResponse.delete_stack_instances
_move_account = org_models.OrganizationsBackend.move_account
_create_account = org_models.OrganizationsBackend.create_account
models.StackSet.auto_deployment = None


def _keep_auto_deployment(self):
    given = self._get_params().get("AutoDeployment")
    if given:
        stack_set = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
        stack_set.auto_deployment = {key: str(given.get(key, "false")).lower() == "true" for key in ("Enabled", "RetainStacksOnAccountRemoval")}


def create_stack_set_keeping_auto_deployment(self):
    result = _create_stack_set(self)
    _keep_auto_deployment(self)
    return result


def update_stack_set_keeping_auto_deployment(self):
    result = _update_stack_set(self)
    _keep_auto_deployment(self)
    return result


def create_stack_instances_recording_targets(self):
    result = _create_stack_instances(self)
    stack_set = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
    units = (self._get_params().get("DeploymentTargets") or {}).get("OrganizationalUnitIds", [])
    regions = self._get_param("Regions", [])
    stack_set.auto_targets = getattr(stack_set, "auto_targets", set()) | {(unit, region) for unit in units for region in regions}
    return result


def delete_stack_instances_of_units(self):
    """DeleteStackInstances of a service-managed stack set names units (DeploymentTargets.OrganizationalUnitIds), not
    accounts: the instances of every account under them (child units included) go, and the units stop receiving new
    accounts in those regions. moto read Accounts only, so it deleted nothing."""
    units = (self._get_params().get("DeploymentTargets") or {}).get("OrganizationalUnitIds", [])
    if not units:
        return _delete_stack_instances(self)
    stack_set = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
    regions = self._get_param("Regions", [])
    organization = org_models.organizations_backends[stack_set.instances.account_id][stack_set.instances.partition]
    accounts = [a.id for a in organization.accounts if set(units) & set(_ancestors(organization, a.parent_id))]
    stack_set.delete_stack_instances(accounts, regions)
    stack_set.auto_targets = {(u, r) for u, r in getattr(stack_set, "auto_targets", set()) if not (u in units and r in regions)}
    return ActionResult({"OperationId": stack_set.operations[-1]["OperationId"]})


def _ancestors(organization, parent_id):
    """The account's parent and every unit above it, up to the root."""
    found = []
    while parent_id:
        found.append(parent_id)
        unit = next((ou for ou in organization.ou if ou.id == parent_id), None)
        parent_id = unit.parent_id if unit else None
    return found


def _auto_deploy(organization, account_id):
    """Every service-managed stack set with automatic deployment of the organization: the account gets an instance in each
    region of a unit above it, and loses those of units it is no longer under (unless the stack set retains them)."""
    account = organization.get_account_by_id(account_id)
    above = set(_ancestors(organization, account.parent_id))
    for regions in list(models.cloudformation_backends.values()):
        for backend in list(regions.values()):
            for stack_set in list(backend.stacksets.values()):
                auto = stack_set.auto_deployment or {}
                if stack_set.status == "DELETED" or stack_set.permission_model != "SERVICE_MANAGED" or not auto.get("Enabled"):
                    continue
                targets = getattr(stack_set, "auto_targets", set())
                wanted = {region for unit, region in targets if unit in above}
                instances = stack_set.instances
                have = {i.region_name for i in instances.stack_instances if i.account_id == account_id}
                missing = sorted(wanted - have)
                if missing:
                    instances.create_instances([account_id], missing, stack_set.parameters, {}, stack_set.permission_model)
                gone = sorted(have - wanted)
                if gone and not auto.get("RetainStacksOnAccountRemoval"):
                    instances.delete([account_id], gone)


def move_account_auto_deploying(self, **kwargs):
    _move_account(self, **kwargs)
    _auto_deploy(self, kwargs["AccountId"])


def create_account_auto_deploying(self, **kwargs):
    result = _create_account(self, **kwargs)
    _auto_deploy(self, result["CreateAccountStatus"]["AccountId"])
    return result


responses.CloudFormationResponse.create_stack_set = create_stack_set_keeping_auto_deployment
responses.CloudFormationResponse.update_stack_set = update_stack_set_keeping_auto_deployment
responses.CloudFormationResponse.create_stack_instances = create_stack_instances_recording_targets
responses.CloudFormationResponse.delete_stack_instances = delete_stack_instances_of_units
org_models.OrganizationsBackend.move_account = move_account_auto_deploying
org_models.OrganizationsBackend.create_account = create_account_auto_deploying


SANDBOX_MANAGEMENT_ACCOUNT = "123456789012"
SANDBOX_ORGANIZATION = "o-pksandbox01"
SANDBOX_ROOT = "r-pk01"
# unit id, unit name, its accounts (id, name); the root's own accounts come under None.
SANDBOX_UNITS = [
    (None, None, [("555555555555", "source")]),
    ("ou-pk01-test0001", "workloads-test", [("333333333333", "test"), ("666666666666", "test-2")]),
    ("ou-pk01-work0001", "workloads", [("222222222222", "dev"), ("444444444444", "prod")]),
]


@contextlib.contextmanager
def _named(generator, value):
    """moto names every organization, root, unit and account it creates with a random id; inside, this one."""
    original = getattr(org_utils, generator)
    setattr(org_utils, generator, lambda *_: value)
    try:
        yield
    finally:
        setattr(org_utils, generator, original)


def seed_organization():
    """The sandbox's organization (see the docstring), made through moto's own operations so that it behaves as one a
    user made: member accounts find it (DescribeOrganization), each account gets its OrganizationAccountAccessRole."""
    backend = org_models.organizations_backends[SANDBOX_MANAGEMENT_ACCOUNT]["aws"]
    with _named("make_random_org_id", SANDBOX_ORGANIZATION), _named("make_random_root_id", SANDBOX_ROOT):
        backend.create_organization(region="us-east-1", FeatureSet="ALL")
    for unit, name, accounts in SANDBOX_UNITS:
        if unit is not None:
            with _named("make_random_ou_id", unit):
                backend.create_organizational_unit(ParentId=SANDBOX_ROOT, Name=name)
        for account, account_name in accounts:
            with _named("make_random_account_id", account):
                backend.create_account(AccountName=account_name, Email=f"{account_name}@example.com")
            if unit is not None:
                backend.move_account(AccountId=account, SourceParentId=SANDBOX_ROOT, DestinationParentId=unit)
    backend.enable_aws_service_access(ServicePrincipal="member.org.stacksets.cloudformation.amazonaws.com")


if __name__ == "__main__":
    seed_organization()
    main(sys.argv[1:])

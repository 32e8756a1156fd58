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
- A TemplateURL in path style under the emulator's own address (http://127.0.0.1:PORT/bucket/key, what
  the kit's template store hands out for a custom endpoint) is read from moto's S3; moto reads path
  style only when the host is "localhost" and otherwise takes "127" for the bucket name.

Usage: python3 moto_sandbox.py -H 127.0.0.1 -p PORT   (the same arguments as moto_server)
"""
import sys
from urllib.parse import urlparse

from moto.cloudformation import models, parsing, responses
from moto.cloudformation.exceptions import ValidationError
from moto.core.responses import ActionResult
from moto.server import main

_execute = models.CloudFormationBackend.execute_change_set


def _find_change_set(backend, name):
    if name in backend.change_sets:
        return backend.change_sets[name]
    for change_set in backend.change_sets.values():
        if change_set.change_set_name == name:
            return change_set
    return None


def execute_change_set(self, change_set_name, stack_name=None):
    change_set = _find_change_set(self, change_set_name)
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
    return _delete_stack(self, name)


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


parsing.OutputMap.__getitem__ = output_item
models.Stack.stack_parameters = property(stack_parameters)
models.Stack.parameter_list = property(parameter_list)
models.CloudFormationBackend.execute_change_set = execute_change_set
models.CloudFormationBackend.delete_stack = delete_stack
responses.CloudFormationResponse.update_termination_protection = update_termination_protection
responses.CloudFormationResponse._get_stack_from_s3_url = get_stack_from_s3_url

if __name__ == "__main__":
    main(sys.argv[1:])

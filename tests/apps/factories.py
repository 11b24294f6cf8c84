"""Small app definitions built in code for the catalogue tests."""

from __future__ import annotations

from typing import Any


def minimal_app(appid: str = "11111111-2222-4333-8444-555555555555",
                name: str = "Example") -> dict[str, Any]:
    return {
        "appid": appid,
        "name": name,
        "app_version": "1.2.3",
        "product_vendor": "Vendor",
        "product_name": "Product",
        "description": "An example",
        "logo": "logo.svg",
        "configuration": {
            "api_key": {"data_type": "password", "order": 1, "required": True},
            "server": {"data_type": "string", "order": 0, "default": "https://x",
                       "description": "Server"},
        },
        "actions": [
            {"action": "test connectivity", "identifier": "test_connectivity", "type": "test",
             "read_only": True, "parameters": {}, "output": [], "versions": "EQ(*)"},
            {"action": "block ip", "identifier": "block_ip", "type": "contain",
             "read_only": False, "description": "Block it",
             "parameters": {
                 "direction": {"data_type": "string", "order": 1,
                               "value_list": ["in", "out"], "default": "in"},
                 "ip": {"data_type": "string", "order": 0, "required": True, "primary": True,
                        "contains": ["ip"]},
             },
             "output": [{"data_path": "action_result.data.*.blocked", "data_type": "boolean",
                         "example_values": [True]}],
             "versions": "EQ(*)"},
        ],
    }


GEO: dict[str, Any] = {
    "appid": "c566e153-3118-4033-abda-14dd9748c91a",
    "name": "Geo",
    "app_version": "1.0.0",
    "actions": [
        {"action": "geolocate ip", "identifier": "geolocate_ip", "type": "investigate",
         "read_only": True,
         "parameters": {"ip": {"data_type": "string", "required": True, "contains": ["ip"]}},
         "output": [
             {"data_path": "action_result.status", "data_type": "string",
              "example_values": ["success", "failed"]},
             {"data_path": "action_result.message", "data_type": "string",
              "example_values": ["City: Research, Country: Australia", "Error: quota"]},
             {"data_path": "action_result.parameter.ip", "data_type": "string"},
             {"data_path": "action_result.data.*.ip", "data_type": "string"},
             {"data_path": "action_result.data.*.city_name", "data_type": "string",
              "example_values": ["Research", "Paris", "Osaka", "Lima", "Oslo", "Quito"]},
             {"data_path": "action_result.data.*.latitude", "data_type": "numeric"},
             {"data_path": "action_result.data.*.asn.owner", "data_type": "string",
              "contains": ["domain"]},
             {"data_path": "action_result.data.*.tags.*", "data_type": "string",
              "example_values": ["cdn"]},
             {"data_path": "action_result.summary.city", "data_type": "string",
              "example_values": ["Research"]},
             {"data_path": "summary.total_objects", "data_type": "numeric"},
         ]},
        {"action": "block ip", "identifier": "block_ip", "type": "contain", "read_only": False,
         "parameters": {"ip": {"data_type": "string", "required": True}},
         "output": [{"data_path": "action_result.summary.blocked", "data_type": "boolean"}]},
        {"action": "list things", "identifier": "list_things", "type": "generic",
         "read_only": True, "parameters": {}, "output": []},
    ],
}

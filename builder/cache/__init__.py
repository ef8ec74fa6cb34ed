"""The build cache: what the last build made from what (digests, manifest), sealed with a key
of this user's so that nothing planted in it is ever unpickled.

May import base only. The stages that use it (check, publish) hand it their own records.
"""

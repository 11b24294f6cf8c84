def asset_get_attributes(asset=None, **kwargs):
    """
    Read an asset's settings (for example its host name, to put in a note). Secret settings
    (passwords, tokens, keys) are never returned.

    Args:
        asset: The asset's name or numeric id.

    Returns a JSON-serializable object that implements the configured data paths:
        id: The asset id.
        name: The asset name.
        configuration: The asset's non-secret settings; address one as configuration.<key>.
        tags: The asset's tags.
        description: The asset description.
        product_name: The product the asset connects to.
        product_vendor: The vendor of that product.
        product_version: The product version, if recorded.
        type: The app's type (such as "siem"), from its manifest.
        version: The version of the app the asset uses.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.assets import secret_fields
    from engine.custom_functions._support import as_id, as_pk
    from engine.models import Asset

    if asset in (None, ""):
        raise ValueError("asset is required")
    found = Asset.objects.select_related("app").filter(name=str(asset).strip()).first()
    if found is None and as_id(asset) is not None:
        found = Asset.objects.select_related("app").filter(pk=as_pk(asset)).first()
    if found is None:
        raise ValueError(f"no asset {asset!r}")
    secrets = secret_fields(found)
    # Stored secrets are encrypted ("enc:v1:" prefix); neither form leaves the server.
    configuration = {k: v for k, v in (found.configuration or {}).items()
                     if k not in secrets and not (isinstance(v, str) and v.startswith("enc:"))}
    definition = found.app.definition or {}
    return {"id": found.pk, "name": found.name, "configuration": configuration, "tags": list(found.tags or []),
            "description": found.description, "product_name": found.product_name or found.app.product_name,
            "product_vendor": found.product_vendor or found.app.product_vendor,
            "product_version": found.product_version, "type": definition.get("type", ""),
            "version": found.app.version}

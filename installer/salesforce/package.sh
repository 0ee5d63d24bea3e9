#!/usr/bin/env bash
# Builds what a Salesforce org needs for the cti-adapter softphone (docs/SALESFORCE.md):
#
#   installer/salesforce/package.sh [OUT]        (OUT defaults to build/salesforce)
#
#   OUT/CtiSoftphone/            the page and its scripts, with a copy of the browser client
#                                (adapter/web/cti.js and its modules in cti/; to serve from
#                                your own https host, or to look at)
#   OUT/CtiSoftphone.zip         the same files: upload as the static resource "CtiSoftphone"
#   OUT/CtiSoftphone.page        the Visualforce page "CtiSoftphone" (reqAdapterUrl https://…/apex/CtiSoftphone)
#   OUT/CtiSoftphoneStandby.page the page Salesforce shows when the panel does not start (reqStandbyUrl)
#   OUT/metadata/                both as Metadata API source, for
#                                  sf project deploy start --metadata-dir OUT/metadata
#   OUT/call-center.xml          the call center definition to import in Setup → Call Centers
#
# Needs: bash, sed, zip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/build/salesforce}"
api_version="62.0"
resource="CtiSoftphone"

command -v zip >/dev/null || { echo "package.sh: 'zip' is missing (apt-get install zip)" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/$resource" "$out/metadata/staticresources" "$out/metadata/pages"

# The static resource: the page's files and the adapter's browser client, side by side, so the
# page's `import ... from './cti.js'` (and cti.js's own imports from './cti/') work wherever the
# folder is served from.
cp "$here"/*.js "$here/softphone.css" "$here/softphone.html" "$here/standby.html" "$out/$resource/"
cp "$root/adapter/web/cti.js" "$root/adapter/web/cti.d.ts" "$out/$resource/"
mkdir -p "$out/$resource/cti"
cp "$root/adapter/web/cti/"*.js "$out/$resource/cti/"
(cd "$out/$resource" && zip -q -X -r "../$resource.zip" .)

# The Visualforce page: softphone.html (well-formed on purpose) inside <apex:page>, with its
# own files taken from the static resource. opencti_min.js stays a relative path: Salesforce
# serves it from the Visualforce domain itself.
visualforce_page() {
    echo '<apex:page showHeader="false" sidebar="false" standardStylesheets="false" applyHtmlTag="false" applyBodyTag="false" docType="html-5.0">'
    sed -e '/^<!DOCTYPE html>$/d' \
        -e "s|href=\"softphone.css\"|href=\"{!URLFOR(\$Resource.$resource, 'softphone.css')}\"|" \
        -e "s|src=\"softphone.js\"|src=\"{!URLFOR(\$Resource.$resource, 'softphone.js')}\"|" \
        "$1"
    echo '</apex:page>'
}
visualforce_page "$here/softphone.html" > "$out/$resource.page"
visualforce_page "$here/standby.html" > "$out/${resource}Standby.page"

cp "$out/$resource.zip" "$out/metadata/staticresources/$resource.resource"
cat > "$out/metadata/staticresources/$resource.resource-meta.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">
    <cacheControl>Private</cacheControl>
    <contentType>application/zip</contentType>
    <description>cti-adapter softphone for the utility bar (pages, scripts, cti.js)</description>
</StaticResource>
EOF
for page in "$resource" "${resource}Standby"; do
    cp "$out/$page.page" "$out/metadata/pages/$page.page"
    cat > "$out/metadata/pages/$page.page-meta.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<ApexPage xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>$api_version</apiVersion>
    <availableInTouch>false</availableInTouch>
    <confirmationTokenRequired>false</confirmationTokenRequired>
    <label>$page</label>
</ApexPage>
EOF
done
cat > "$out/metadata/package.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://soap.sforce.com/2006/04/metadata">
    <types><members>$resource</members><members>${resource}Standby</members><name>ApexPage</name></types>
    <types><members>$resource</members><name>StaticResource</name></types>
    <version>$api_version</version>
</Package>
EOF
cp "$here/call-center.xml" "$out/call-center.xml"

echo "Salesforce files in $out:"
echo "  $resource.zip    static resource '$resource' (Setup → Static Resources)"
echo "  $resource.page   Visualforce page '$resource' (Setup → Visualforce Pages)"
echo "  ${resource}Standby.page  Visualforce page '${resource}Standby' (the call center's Standby URL)"
echo "  metadata/        sf project deploy start --metadata-dir $out/metadata"
echo "  call-center.xml  Setup → Call Centers → Import"

"""Web server configuration for the built site: nginx, Apache (.htaccess) and IIS (web.config).

All three say the same, from one table of headers: the site's 404 page; compression for HTML, CSS, JS,
JSON, XML and SVG; a year's caching for fingerprinted assets (their name changes with their bytes) and none
for pages, feeds and the search index; the MIME types of WebP and AVIF; and security headers. The
Content-Security-Policy allows only the site's own host: every script and stylesheet is a file of the site,
and the few inline <style> blocks (the no-JavaScript menu) are allowed by their hash, read from the
built pages themselves, so the policy fits exactly the site that is published.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

INLINE_STYLE = re.compile(rb"<style>(.*?)</style>", re.S)
FINGERPRINTED = r"\.[0-9a-f]{10}\.(css|js)$"  # assets.fingerprint's names: site.170eec0ccf.css
COMPRESSED = ("text/html", "text/css", "text/javascript", "application/javascript", "application/json",
              "application/xml", "application/atom+xml", "image/svg+xml", "text/plain")
FILES = {"nginx": "nginx.conf", "apache": ".htaccess", "iis": "web.config"}


@dataclass(frozen=True)
class SiteHeaders:
    base_path: str  # "/" or "/chuyen-de/": where the site sits on its host
    headers: tuple[tuple[str, str], ...]  # sent with every response


def site_headers(output: Path, base_url: str, frame_hosts: tuple[str, ...] = ()) -> SiteHeaders:
    """The headers for the site built in `output`; `frame_hosts`: site.yaml's allowed_iframe_hosts."""
    styles = sorted(_inline_style_hashes(output))
    frames = " ".join(f"https://{host}" for host in frame_hosts) or "'none'"
    policy = "; ".join([
        "default-src 'self'", "script-src 'self'", " ".join(["style-src 'self'"] + [f"'{h}'" for h in styles]),
        "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", f"frame-src {frames}",
        "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'self'"])
    headers = (("Content-Security-Policy", policy),
               ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "strict-origin-when-cross-origin"),
               ("X-Frame-Options", "SAMEORIGIN"),
               ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"))
    return SiteHeaders(urlsplit(base_url).path or "/", headers)


def _inline_style_hashes(output: Path) -> set[str]:
    found: set[str] = set()
    for folder, _dirs, names in os.walk(output):
        for name in names:
            if name.endswith(".html"):
                for style in INLINE_STYLE.findall(Path(folder, name).read_bytes()):
                    found.add("sha256-" + base64.b64encode(hashlib.sha256(style).digest()).decode())
    return found


def nginx(site: SiteHeaders) -> str:
    adds = "".join(f"    add_header {name} \"{value}\" always;\n" for name, value in site.headers)
    return f"""# awareness: nginx configuration, inside the server {{ }} block of the site's host.
# Files are served from the folder `awareness publish` writes to (root or alias).
error_page 404 {site.base_path}404.html;
gzip on;
gzip_types {" ".join(t for t in COMPRESSED if t != "text/html")};
location ~ /\\.awareness {{ deny all; return 404; }}
location ~ \\.webp$ {{ types {{ }} default_type image/webp;
{adds}}}
location ~ \\.avif$ {{ types {{ }} default_type image/avif;
{adds}}}
location ~ {FINGERPRINTED} {{
{adds}    add_header Cache-Control "public, max-age=31536000, immutable" always;
}}
location ~ \\.(html|xml|json)$ {{
{adds}    add_header Cache-Control "no-cache" always;
}}
location {site.base_path} {{
{adds}}}
"""


def apache(site: SiteHeaders) -> str:
    sets = "".join(f"  Header always set {name} \"{value}\"\n" for name, value in site.headers)
    return f"""# awareness: Apache configuration (needs mod_headers, mod_deflate, mod_mime; AllowOverride All).
ErrorDocument 404 {site.base_path}404.html
AddType image/webp .webp
AddType image/avif .avif
<IfModule mod_deflate.c>
  AddOutputFilterByType DEFLATE {" ".join(COMPRESSED)}
</IfModule>
<IfModule mod_headers.c>
{sets}  <FilesMatch "\\.(html|xml|json)$">
    Header set Cache-Control "no-cache"
  </FilesMatch>
  <FilesMatch "{FINGERPRINTED}">
    Header set Cache-Control "public, max-age=31536000, immutable"
  </FilesMatch>
</IfModule>
<FilesMatch "^\\.awareness">
  Require all denied
</FilesMatch>
"""


def iis(site: SiteHeaders) -> str:
    headers = "".join(f'        <add name="{name}" value="{value}" />\n' for name, value in site.headers)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- awareness: IIS configuration, at the site's root (needs the URL Rewrite module for the caching rule). -->
<configuration>
  <system.webServer>
    <httpErrors errorMode="Custom" existingResponse="Replace">
      <remove statusCode="404" />
      <error statusCode="404" path="{site.base_path}404.html" responseMode="ExecuteURL" />
    </httpErrors>
    <urlCompression doStaticCompression="true" doDynamicCompression="false" />
    <staticContent>
      <remove fileExtension=".webp" /><mimeMap fileExtension=".webp" mimeType="image/webp" />
      <remove fileExtension=".avif" /><mimeMap fileExtension=".avif" mimeType="image/avif" />
      <remove fileExtension=".json" /><mimeMap fileExtension=".json" mimeType="application/json" />
      <clientCache cacheControlMode="DisableCache" />
    </staticContent>
    <httpProtocol>
      <customHeaders>
{headers}      </customHeaders>
    </httpProtocol>
    <security>
      <requestFiltering>
        <hiddenSegments>
          <add segment=".awareness-publish.json" />
          <add segment=".awareness-publish.lock" />
        </hiddenSegments>
      </requestFiltering>
    </security>
    <rewrite>
      <outboundRules>
        <rule name="awareness: fingerprinted assets cached for a year">
          <match serverVariable="RESPONSE_Cache_Control" pattern=".*" />
          <conditions><add input="{{REQUEST_URI}}" pattern="{FINGERPRINTED}" /></conditions>
          <action type="Rewrite" value="public, max-age=31536000, immutable" />
        </rule>
      </outboundRules>
    </rewrite>
  </system.webServer>
</configuration>
"""


def write_all(site: SiteHeaders, folder: Path) -> list[Path]:
    """nginx.conf, .htaccess and web.config into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in FILES.items():
        path = folder / name
        path.write_text({"nginx": nginx, "apache": apache, "iis": iis}[kind](site), encoding="utf-8")
        written.append(path)
    return written

#!/usr/bin/env bash
# Check the shipped proxy configuration (deploy/nginx.conf, deploy/creditportal_proxy_params) with the distribution's
# own nginx: `nginx -t` on a copy whose certificate and include paths point to a throw-away prefix (a self-signed
# certificate made here). Installs Debian's nginx-light when nginx is missing, without starting it. CI runs this.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  echo "check_nginx: installing nginx-light (not started)"
  # policy-rc.d 101: the package's scripts do not start the server
  as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx-light >/dev/null || status=$?
  as_root rm -f /usr/sbin/policy-rc.d
  [ "${status:-0}" -eq 0 ] || exit "$status"
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
mkdir -p "$prefix/tls" "$prefix/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=credit.example.gov.cn" \
  -keyout "$prefix/tls/credit.example.gov.cn.key" -out "$prefix/tls/credit.example.gov.cn.crt" 2>/dev/null
cp deploy/creditportal_proxy_params "$prefix/"
sed -e "s#/etc/nginx/tls/#$prefix/tls/#g" -e "s#/etc/nginx/creditportal_proxy_params#$prefix/creditportal_proxy_params#g" \
  deploy/nginx.conf > "$prefix/creditportal.conf"
cat > "$prefix/nginx.conf" <<CONF
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log;
events {}
http {
    access_log off;
    include $prefix/creditportal.conf;
}
CONF
"$NGINX" -t -q -p "$prefix" -c "$prefix/nginx.conf"
echo "check_nginx: deploy/nginx.conf passes nginx -t ($("$NGINX" -v 2>&1))"

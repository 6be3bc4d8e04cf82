// @ts-check
// The small texts pack-hub.js writes into the archive: the launchers and INSTALL.txt.

/**
 * bin/beseda-hub: runs the hub with the archive's Node, found from the launcher's own (symlink-
 * resolved) place, so `/usr/local/bin/beseda-hub -> /opt/beseda-hub/bin/beseda-hub` works and no
 * node on PATH is ever used. `exec`, so signals reach the hub itself.
 */
export const shLauncher = `#!/bin/sh
# Beseda hub: runs the hub with the Node runtime shipped in this archive (no node, npm or compiler needed).
here=$(dirname "$(readlink -f "$0")")
exec "$here/../runtime/node" "$here/../hub/beseda-hub.js" "$@"
`;

/** bin\\beseda-hub.cmd: the same on Windows. */
export const cmdLauncher = `@echo off
rem Beseda hub: runs the hub with the Node runtime shipped in this archive (no node, npm or compiler needed).
"%~dp0..\\runtime\\node.exe" "%~dp0..\\hub\\beseda-hub.js" %*
exit /b %ERRORLEVEL%
`;

/**
 * INSTALL.txt: the install steps, short; docs/operations.md (in the archive too) has the rest.
 * @param {string} version
 * @param {boolean} windows
 * @param {string | null} glibc the oldest glibc the Linux binaries run on
 */
export function installText(version, windows, glibc) {
  if (windows)
    return `Beseda hub ${version} for Windows x64 (Windows Server 2016 or newer)
Full runbook: docs\\operations.md. All commands in an elevated prompt (Run as administrator).

1. Unpack into C:\\Program Files\\beseda-hub (or Explorer's "Extract All"):
     powershell Expand-Archive beseda-hub-${version}-win32-x64.zip -DestinationPath "C:\\Program Files"
     ren "C:\\Program Files\\beseda-hub-${version}-win32-x64" beseda-hub
2. Configuration and data folder:
     mkdir C:\\ProgramData\\Beseda\\data C:\\ProgramData\\Beseda\\logs
     copy "C:\\Program Files\\beseda-hub\\deploy\\windows\\hub.json" C:\\ProgramData\\Beseda\\hub.json
3. The service (WinSW-x64.exe from https://github.com/winsw/winsw/releases, v2.12 or later):
     cd "C:\\Program Files\\beseda-hub"
     copy WinSW-x64.exe beseda-hub-service.exe
     copy deploy\\windows\\beseda-hub.xml beseda-hub-service.xml
     beseda-hub-service.exe install
     sc.exe config beseda-hub obj= "NT SERVICE\\beseda-hub"
     icacls C:\\ProgramData\\Beseda /inheritance:r /grant:r "SYSTEM:(OI)(CI)F" "Administrators:(OI)(CI)F" "NT SERVICE\\beseda-hub:(OI)(CI)M"
     beseda-hub-service.exe start
4. The first administrator is "admin"; its password (delete the file once kept safe):
     type C:\\ProgramData\\Beseda\\data\\initial-admin-password.txt
5. Admin commands:
     "C:\\Program Files\\beseda-hub\\bin\\beseda-hub.cmd" user add LOGIN --name "Full Name" --config C:\\ProgramData\\Beseda\\hub.json
   Check: "C:\\Program Files\\beseda-hub\\bin\\beseda-hub.cmd" --version, and http://localhost:8080/healthz
`;
  return `Beseda hub ${version} for Linux x64 (glibc ${glibc} or newer; no compiler, npm or internet needed)
Full runbook: docs/operations.md. As root:

1. Unpack and link:
     tar -xzf beseda-hub-${version}-linux-x64.tar.gz -C /opt
     ln -sfn /opt/beseda-hub-${version}-linux-x64 /opt/beseda-hub
     ln -sf /opt/beseda-hub/bin/beseda-hub /usr/local/bin/beseda-hub
2. The service account and the configuration:
     useradd --system --home-dir /var/lib/beseda --no-create-home --shell /usr/sbin/nologin beseda
     install -d -m 0750 -o root -g beseda /etc/beseda
     install -m 0640 -o root -g beseda /opt/beseda-hub/deploy/systemd/hub.json /etc/beseda/hub.json
3. The service (data in /var/lib/beseda, created by systemd):
     cp /opt/beseda-hub/deploy/systemd/beseda-hub.service /etc/systemd/system/
     systemctl daemon-reload
     systemctl enable --now beseda-hub
4. The first administrator is "admin"; its password (delete the file once kept safe):
     cat /var/lib/beseda/initial-admin-password.txt
5. Admin commands run as the service account:
     sudo -u beseda beseda-hub user add LOGIN --name "Full Name" --config /etc/beseda/hub.json
   Check: beseda-hub --version; curl http://localhost:8080/healthz
`;
}

import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
extension StatusView {
    /// Exit status of `callspool status` when the daemon is not running:
    /// 3, as `systemctl is-active` and LSB `status` actions use it.
    public static let notRunningExitStatus: Int32 = 3

    /// `callspool status`'s exit status: 0 running, 3 not running, so a
    /// script or monitor can test liveness without parsing the output.
    public var exitStatus: Int32 { daemon.running ? 0 : Self.notRunningExitStatus }
}

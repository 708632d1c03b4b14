// The clocks and polling shared by every test target.
@_exported import CallspoolTestSupport

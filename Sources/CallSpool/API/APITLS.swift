import CallSpoolCore
import NIOSSL

/// The HTTP API's TLS server configuration from `[api] tls_cert` and
/// `tls_key`, for NIOSSL: TLS 1.2 at the least, the certificate chain in
/// file order. Built when the daemon starts, so an unreadable or mismatched
/// pair stops it with a message naming the key, never later on a handshake.
enum APITLS {
    static func configuration(_ files: Configuration.TLSFiles, source: String) throws(ConfigurationError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw ConfigurationError(file: source, key: "api.tls_cert", message: "\(files.certificate) is not a PEM certificate (chain): \(error)")
        }
        guard !chain.isEmpty else {
            throw ConfigurationError(file: source, key: "api.tls_cert", message: "\(files.certificate) holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
        } catch {
            throw ConfigurationError(file: source, key: "api.tls_key", message: "\(files.privateKey) is not a PEM private key (or it is encrypted): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            // A key that does not belong to the certificate fails here, not at the first handshake.
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigurationError(file: source, key: "api.tls_key", message: "the key does not fit the certificate of tls_cert: \(error)")
        }
        return configuration
    }
}

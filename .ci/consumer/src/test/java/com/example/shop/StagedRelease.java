package com.example.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What Maven Central requires of a deployment, checked on a staging folder (a Maven repository layout, as
 * {@code mvn deploy} writes it): each published jar with its sources and javadoc jars, each pom with name,
 * description, url, license, developer and scm (inherited from a parent that is staged too), each jar's
 * Automatic-Module-Name, and a BOM that manages exactly the published modules and nothing else.
 */
final class StagedRelease {

    private static final String GROUP = "io.seqguard";
    private static final String BOM = "seqguard-bom";
    private static final String PARENT = "seqguard-parent";

    private final Path groupDir;
    private final String version;
    private final List<String> problems = new ArrayList<>();

    private StagedRelease(Path staging, String version) {
        this.groupDir = staging.resolve(GROUP.replace('.', '/'));
        this.version = version;
    }

    /** Every way the staging folder falls short of a release; empty when it is complete. */
    static List<String> problems(Path staging, String version) {
        StagedRelease release = new StagedRelease(staging, version);
        release.check();
        return release.problems;
    }

    private void check() {
        Document bom = pom(BOM);
        if (bom == null) {
            problems.add(BOM + ": no pom staged");
            return;
        }
        if (child(bom.getDocumentElement(), "parent") != null) {
            problems.add(BOM + ": has a parent, so importing it would manage the parent's versions too");
        }
        checkMetadata(BOM, bom);
        List<String> managed = new ArrayList<>();
        Element management = child(bom.getDocumentElement(), "dependencyManagement");
        for (Element dependency : children(child(management, "dependencies"), "dependency")) {
            String artifact = text(dependency, "artifactId");
            if (!GROUP.equals(text(dependency, "groupId"))) {
                problems.add(BOM + ": manages " + text(dependency, "groupId") + ":" + artifact
                        + ", which is not seqguard's to manage");
                continue;
            }
            String classifier = text(dependency, "classifier");
            if (file(artifact, classifier, "jar") == null) {
                problems.add(artifact + (classifier == null ? "" : ":" + classifier) + ": managed by the BOM, "
                        + "not staged");
            }
            managed.add(artifact);
        }
        for (String artifact : stagedArtifacts()) {
            if (!artifact.equals(BOM) && !artifact.equals(PARENT) && !managed.contains(artifact)) {
                problems.add(artifact + ": staged, but missing from " + BOM);
            }
        }
        for (String artifact : managed.stream().distinct().toList()) {
            checkModule(artifact);
        }
        Document parent = pom(PARENT);
        if (parent == null) {
            problems.add(PARENT + ": no pom staged");
        } else {
            checkMetadata(PARENT, parent);
        }
    }

    private void checkModule(String artifact) {
        Document pom = pom(artifact);
        if (pom == null) {
            problems.add(artifact + ": no pom staged");
            return;
        }
        checkMetadata(artifact, pom);
        for (String classifier : new String[] {null, "sources", "javadoc"}) {
            if (file(artifact, classifier, "jar") == null) {
                problems.add(artifact + ": no " + (classifier == null ? "" : classifier + " ") + "jar");
            }
        }
        Path jar = file(artifact, null, "jar");
        if (jar != null) {
            String name = manifestAttribute(jar, "Automatic-Module-Name");
            if (name == null || !name.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
                problems.add(artifact + ": Automatic-Module-Name is " + (name == null ? "missing" : "'" + name + "'"));
            }
        }
        Path javadoc = file(artifact, "javadoc", "jar");
        if (javadoc != null && (contains(javadoc, "io/seqguard/internal/") || !contains(javadoc, "index.html"))) {
            problems.add(artifact + ": the javadoc jar must document the public API only (no io.seqguard.internal)");
        }
    }

    /** Central's required elements: name in the pom itself, the others there or in a staged parent. */
    private void checkMetadata(String artifact, Document pom) {
        if (text(pom.getDocumentElement(), "name") == null) {
            problems.add(artifact + ": no <name>");
        }
        String[][] required = {{"description"}, {"url"}, {"licenses", "license", "name"},
            {"licenses", "license", "url"}, {"developers", "developer", "name"}, {"scm", "url"},
            {"scm", "connection"}};
        for (String[] path : required) {
            if (inherited(pom, path) == null) {
                problems.add(artifact + ": no <" + String.join("><", path) + ">, not even from its parent");
            }
        }
    }

    private String inherited(Document pom, String[] path) {
        for (Document current = pom; current != null; current = parentOf(current)) {
            Element element = current.getDocumentElement();
            for (int i = 0; element != null && i < path.length; i++) {
                element = child(element, path[i]);
            }
            if (element != null && !element.getTextContent().isBlank()) {
                return element.getTextContent().trim();
            }
        }
        return null;
    }

    private Document parentOf(Document pom) {
        Element parent = child(pom.getDocumentElement(), "parent");
        if (parent == null || !GROUP.equals(text(parent, "groupId"))) {
            return null;
        }
        Document staged = pom(text(parent, "artifactId"));
        if (staged == null) {
            problems.add(text(parent, "artifactId") + ": a parent, not staged");
        }
        return staged;
    }

    private List<String> stagedArtifacts() {
        try (Stream<Path> dirs = Files.list(groupDir)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve(version))).map(d -> d.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Document pom(String artifact) {
        Path file = file(artifact, null, "pom");
        return file == null ? null : xml(file);
    }

    /** The staged file, found through the snapshot metadata when the version is a snapshot; null when absent. */
    private Path file(String artifact, String classifier, String extension) {
        Path dir = groupDir.resolve(artifact).resolve(version);
        String value = version;
        if (version.endsWith("-SNAPSHOT")) {
            Path metadata = dir.resolve("maven-metadata.xml");
            if (!Files.exists(metadata)) {
                return null;
            }
            value = null;
            for (Element snapshot : children(child(child(xml(metadata).getDocumentElement(), "versioning"),
                    "snapshotVersions"), "snapshotVersion")) {
                if (extension.equals(text(snapshot, "extension"))
                        && java.util.Objects.equals(classifier, text(snapshot, "classifier"))) {
                    value = text(snapshot, "value");
                }
            }
            if (value == null) {
                return null;
            }
        }
        Path file = dir.resolve(artifact + "-" + value + (classifier == null ? "" : "-" + classifier) + "."
                + extension);
        return Files.isRegularFile(file) ? file : null;
    }

    private static String manifestAttribute(Path jar, String name) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(Path jar, String prefix) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(entry -> entry.getName().startsWith(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document xml(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(name)) {
                    found.add(element);
                }
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().trim();
    }
}

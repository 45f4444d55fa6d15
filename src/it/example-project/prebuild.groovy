// Runs before the example's build (maven-invoker-plugin's pre-build hook), in its clone under target/it/.
// A user's project has its own model files and labelled images; this one takes camunit's fixtures, copied in
// here rather than committed twice: models/ gets the two shapes models, data/ the test split and its marked copy
// (COCO annotations and images only). Then it lists every file the project has before Maven runs, so that
// verify.groovy can tell what the build wrote outside target/ and the report directory.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

Path project = basedir.toPath()
Path fixtures = Path.of(camunitFixtures as String)
if (!Files.isDirectory(fixtures.resolve('models'))) {
    throw new IllegalStateException("camunit's fixtures not found at ${fixtures}: the invoker passes their path as camunitFixtures")
}

def copy = { Path from, Path to ->
    if (!Files.exists(from)) {
        throw new IllegalStateException("Missing fixture ${from}")
    }
    Files.walk(from).withCloseable { files ->
        files.forEach { Path f ->
            Path target = to.resolve(from.relativize(f).toString())
            if (Files.isDirectory(f)) {
                Files.createDirectories(target)
            } else {
                Files.createDirectories(target.parent)
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING)
            }
        }
    }
}

['shapes-clean.pt', 'shapes-shortcut.pt'].each { copy(fixtures.resolve("models/${it}"), project.resolve("models/${it}")) }
['test', 'test-marked'].each { split ->
    copy(fixtures.resolve("shapes/${split}/coco.json"), project.resolve("data/${split}/coco.json"))
    copy(fixtures.resolve("shapes/${split}/images"), project.resolve("data/${split}/images"))
}

List<String> before = []
Files.walk(project).withCloseable { files ->
    files.filter { Files.isRegularFile(it) }.forEach { before << project.relativize(it).toString() }
}
Path listing = project.resolve('target/files-before-build.txt')
Files.createDirectories(listing.parent)
Files.write(listing, before.sort())
println "prebuild: copied the shapes models and the test splits into ${project}; ${before.size()} files before the build"
return true

"""pom.xml, build.gradle(.kts), go.mod, Cargo.toml, Gemfile and *.csproj."""

from __future__ import annotations

from schemas.manifests import parse_manifest

POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>de.land.it</groupId>
    <artifactId>parent</artifactId>
    <version>1.4.0</version>
  </parent>
  <artifactId>antragsportal</artifactId>
  <properties>
    <spring.version>6.1.5</spring.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>org.managed</groupId><artifactId>only-pinned</artifactId></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework</groupId>
      <artifactId>spring-web</artifactId>
      <version>${spring.version}</version>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"""


def test_pom_inherits_group_and_resolves_properties() -> None:
    """A POM publishes parent groupId:artifactId and uses dependencies, not managed ones."""
    result = parse_manifest("pom.xml", POM)
    assert [("pkg:maven/de.land.it/antragsportal@1.4.0", 9)] == [
        (p.purl, p.line) for p in result.publishes
    ]
    assert [
        ("pkg:maven/org.springframework/spring-web@6.1.5", "runtime", 21),
        ("pkg:maven/org.junit.jupiter/junit-jupiter", "test", 26),
    ] == [(u.purl, u.scope, u.line) for u in result.uses]


def test_pom_entities_are_refused() -> None:
    """A POM with an entity declaration (billion laughs, XXE) is refused as a finding."""
    text = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><project>&x;</project>'
    result = parse_manifest("pom.xml", text)
    assert [] == result.uses
    assert "DTD or entities" in result.findings[0].message


def test_pom_not_xml_and_wrong_root() -> None:
    """Broken XML and a root other than <project> are findings."""
    assert "not well-formed" in parse_manifest("pom.xml", "<project>").findings[0].message
    assert "<project>" in parse_manifest("pom.xml", "<settings/>").findings[0].message


GRADLE = """plugins { id 'java-library' }
group = 'de.bund.digital'

dependencies {
    implementation 'com.google.guava:guava:33.1.0-jre'
    api("org.slf4j:slf4j-api:2.0.12")
    testImplementation group: 'org.junit.jupiter', name: 'junit-jupiter', version: '5.10.2'
    implementation libs.jackson
    implementation "org.apache.commons:commons-lang3:${commonsVersion}"
}

publishing {
    publications {
        maven(MavenPublication) {
            artifactId = 'fachverfahren-core'
        }
    }
}
"""


def test_gradle_subset() -> None:
    """The usual Gradle declaration forms, and group + artifactId as the publication."""
    result = parse_manifest("build.gradle", GRADLE)
    assert [("pkg:maven/de.bund.digital/fachverfahren-core", 15)] == [
        (p.purl, p.line) for p in result.publishes
    ]
    assert [
        ("pkg:maven/com.google.guava/guava@33.1.0-jre", "runtime", 5),
        ("pkg:maven/org.slf4j/slf4j-api@2.0.12", "runtime", 6),
        ("pkg:maven/org.junit.jupiter/junit-jupiter@5.10.2", "test", 7),
        ("pkg:maven/org.apache.commons/commons-lang3", "runtime", 9),
    ] == [(u.purl, u.scope, u.line) for u in result.uses]


def test_gradle_kts() -> None:
    """build.gradle.kts reads the same forms."""
    result = parse_manifest(
        "build.gradle.kts",
        'dependencies {\n  implementation("io.ktor:ktor-server-core:2.3.9")\n}\n',
    )
    assert ["pkg:maven/io.ktor/ktor-server-core@2.3.9"] == [u.purl for u in result.uses]


GO_MOD = """module gitlab.opencode.de/bmi/dienst

go 1.22

require github.com/gorilla/mux v1.8.1

require (
	golang.org/x/text v0.14.0 // indirect
	github.com/jackc/pgx/v5 v5.5.5
	this line is wrong
)
"""


def test_go_mod() -> None:
    """go.mod publishes its module path and uses requirements, marking indirect ones."""
    result = parse_manifest("go.mod", GO_MOD)
    assert ["pkg:golang/gitlab.opencode.de/bmi/dienst"] == [p.purl for p in result.publishes]
    assert [
        ("pkg:golang/github.com/gorilla/mux@v1.8.1", "runtime", 5),
        ("pkg:golang/golang.org/x/text@v0.14.0", "indirect", 8),
        ("pkg:golang/github.com/jackc/pgx/v5@v5.5.5", "runtime", 9),
    ] == [(u.purl, u.scope, u.line) for u in result.uses]
    assert [10] == [f.line for f in result.findings]


CARGO = """[package]
name = "register_client"
version = "0.4.2"

[dependencies]
serde = { version = "1.0", features = ["derive"] }
tokio = "=1.37.0"
helper = { path = "../helper" }
http-client = { package = "reqwest", version = "0.12" }

[dev-dependencies]
proptest = "1"

[target.'cfg(windows)'.dependencies]
winapi = "0.3"
"""


def test_cargo_toml() -> None:
    """Cargo.toml publishes its crate and uses crates, following renames, skipping paths."""
    result = parse_manifest("Cargo.toml", CARGO)
    assert ["pkg:cargo/register_client@0.4.2"] == [p.purl for p in result.publishes]
    assert "pkg:cargo/register-client" == result.publishes[0].key
    assert [
        ("pkg:cargo/serde", "runtime"),
        ("pkg:cargo/tokio@1.37.0", "runtime"),
        ("pkg:cargo/reqwest", "runtime"),
        ("pkg:cargo/winapi", "runtime"),
        ("pkg:cargo/proptest", "development"),
    ] == [(u.purl, u.scope) for u in result.uses]


def test_cargo_unpublished() -> None:
    """publish = false publishes nothing."""
    result = parse_manifest("Cargo.toml", '[package]\nname = "intern"\npublish = false\n')
    assert [] == result.publishes


GEMFILE = """source "https://rubygems.org"

gem "rails", "~> 7.1.3"
gem 'pg'

group :development, :test do
  gem "rspec-rails", "6.1.2"
end
gemspec
"""


def test_gemfile() -> None:
    """Gem declarations with the group's scope."""
    result = parse_manifest("Gemfile", GEMFILE)
    assert [
        ("pkg:gem/rails", "~> 7.1.3", "runtime", 3),
        ("pkg:gem/pg", None, "runtime", 4),
        ("pkg:gem/rspec-rails@6.1.2", "6.1.2", "test", 7),
    ] == [(u.purl, u.requirement, u.scope, u.line) for u in result.uses]


CSPROJ = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <PackageId>Kommune.Fachdienst</PackageId>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
    <PackageReference Include="Serilog">
      <Version>3.1.1</Version>
    </PackageReference>
    <PackageReference Include="StyleCop.Analyzers" Version="1.1.118" PrivateAssets="all" />
  </ItemGroup>
</Project>
"""


def test_csproj() -> None:
    """PackageReference with the version as attribute or element, PackageId published."""
    result = parse_manifest("Fachdienst.csproj", CSPROJ)
    assert ["pkg:nuget/Kommune.Fachdienst"] == [p.purl for p in result.publishes]
    assert [
        ("pkg:nuget/Newtonsoft.Json@13.0.3", "runtime", 7),
        ("pkg:nuget/Serilog@3.1.1", "runtime", 8),
        ("pkg:nuget/StyleCop.Analyzers@1.1.118", "build", 11),
    ] == [(u.purl, u.scope, u.line) for u in result.uses]
    assert "pkg:nuget/newtonsoft.json" == result.uses[0].key

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ModelRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ModelVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Line = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UseCaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Region = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Task = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DatasetVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DatasetVersionNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    DatasetSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RulesVersionNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    PooledLineageJson = table.Column<string>(type: "TEXT", nullable: true),
                    Trainer = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HyperparametersJson = table.Column<string>(type: "TEXT", nullable: false),
                    Seed = table.Column<int>(type: "INTEGER", nullable: false),
                    ReportJson = table.Column<string>(type: "TEXT", nullable: false),
                    HeadlineMetric = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    HeadlineValue = table.Column<double>(type: "REAL", nullable: false),
                    HigherIsBetter = table.Column<bool>(type: "INTEGER", nullable: false),
                    LibraryVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CodeVersion = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    TrainingDuration = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    TriggeredBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ArtifactPath = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ArtifactSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ArtifactSize = table.Column<long>(type: "INTEGER", nullable: false),
                    PredictionFingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ServingChoice = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ServingReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    PooledVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PooledHeadlineValue = table.Column<double>(type: "REAL", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModelVersions_DatasetVersions_DatasetVersionId",
                        column: x => x.DatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_ModelVersions_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ModelVersions_ModelVersions_PooledVersionId",
                        column: x => x.PooledVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_ModelVersions_UseCases_UseCaseId",
                        column: x => x.UseCaseId,
                        principalTable: "UseCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AliasChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Alias = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    FromVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ToVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Automatic = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AliasChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AliasChanges_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AliasChanges_ModelVersions_FromVersionId",
                        column: x => x.FromVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_AliasChanges_ModelVersions_ToVersionId",
                        column: x => x.ToVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "ModelAliases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelAliases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModelAliases_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ModelAliases_ModelVersions_ModelVersionId",
                        column: x => x.ModelVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateIndex(
                name: "IX_AliasChanges_EnrollmentId_Alias_At",
                table: "AliasChanges",
                columns: new[] { "EnrollmentId", "Alias", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AliasChanges_EnrollmentId_Alias_Sequence",
                table: "AliasChanges",
                columns: new[] { "EnrollmentId", "Alias", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AliasChanges_FromVersionId",
                table: "AliasChanges",
                column: "FromVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_AliasChanges_ToVersionId",
                table: "AliasChanges",
                column: "ToVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelAliases_EnrollmentId_Name",
                table: "ModelAliases",
                columns: new[] { "EnrollmentId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ModelAliases_ModelVersionId",
                table: "ModelAliases",
                column: "ModelVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_DatasetVersionId",
                table: "ModelVersions",
                column: "DatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_EnrollmentId",
                table: "ModelVersions",
                column: "EnrollmentId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_Line_Number",
                table: "ModelVersions",
                columns: new[] { "Line", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_PooledVersionId",
                table: "ModelVersions",
                column: "PooledVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_RunId",
                table: "ModelVersions",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_UseCaseId_Region_Kind",
                table: "ModelVersions",
                columns: new[] { "UseCaseId", "Region", "Kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AliasChanges");

            migrationBuilder.DropTable(
                name: "ModelAliases");

            migrationBuilder.DropTable(
                name: "ModelVersions");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FeatureRulesAndValidation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ValidationJson",
                table: "DatasetVersions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ValidationOutcome",
                table: "DatasetVersions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "FeatureRuleVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EnrollmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    Comment = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FeatureRuleVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FeatureRuleVersions_Enrollments_EnrollmentId",
                        column: x => x.EnrollmentId,
                        principalTable: "Enrollments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FeatureRuleVersions_EnrollmentId_Number",
                table: "FeatureRuleVersions",
                columns: new[] { "EnrollmentId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FeatureRuleVersions");

            migrationBuilder.DropColumn(
                name: "ValidationJson",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "ValidationOutcome",
                table: "DatasetVersions");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class HealthVerdicts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "DriftPersistence",
                table: "EnrollmentMonitoring",
                type: "integer",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AddColumn<string>(
                name: "AlertedVerdict",
                table: "EnrollmentHealth",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Verdict",
                table: "EnrollmentHealth",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VerdictAt",
                table: "EnrollmentHealth",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VerdictEvidence",
                table: "EnrollmentHealth",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VerdictReason",
                table: "EnrollmentHealth",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VerdictSince",
                table: "EnrollmentHealth",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "AdjustedPValue",
                table: "DriftFeatureResults",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "PsiHigh",
                table: "DriftFeatureResults",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "PsiLow",
                table: "DriftFeatureResults",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Rule",
                table: "DriftFeatureResults",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_EnrollmentHealth_Verdict",
                table: "EnrollmentHealth",
                column: "Verdict");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EnrollmentHealth_Verdict",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "DriftPersistence",
                table: "EnrollmentMonitoring");

            migrationBuilder.DropColumn(
                name: "AlertedVerdict",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "Verdict",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "VerdictAt",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "VerdictEvidence",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "VerdictReason",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "VerdictSince",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "AdjustedPValue",
                table: "DriftFeatureResults");

            migrationBuilder.DropColumn(
                name: "PsiHigh",
                table: "DriftFeatureResults");

            migrationBuilder.DropColumn(
                name: "PsiLow",
                table: "DriftFeatureResults");

            migrationBuilder.DropColumn(
                name: "Rule",
                table: "DriftFeatureResults");
        }
    }
}
